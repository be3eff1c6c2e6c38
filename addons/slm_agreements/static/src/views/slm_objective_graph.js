/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// Reporting rule 1: an attainment chart shows the objective. When the chart
// is grouped by target, each target's objective (objective_pct of the same
// groups) is drawn as a dashed mark across each of its bars, or as a dashed
// line of its colour on a line chart. Used with
// js_class="slm_objective_graph" on models with target_id and objective_pct.

import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { graphView } from "@web/views/graph/graph_view";
import { GraphModel } from "@web/views/graph/graph_model";
import { GraphRenderer } from "@web/views/graph/graph_renderer";

const OBJECTIVE = "objective_pct";

export class SlmObjectiveGraphModel extends GraphModel {
    _slmShowsObjective(metaData) {
        return (
            metaData.mode !== "pie" &&
            metaData.measure !== OBJECTIVE &&
            OBJECTIVE in metaData.fields &&
            metaData.groupBy.some((gb) => gb.fieldName === "target_id")
        );
    }

    async _loadDataPoints(metaData) {
        const dataPoints = await super._loadDataPoints(metaData);
        this.slmObjectives = null;
        if (this._slmShowsObjective(metaData)) {
            // The same groups, measured on the objective (one per target).
            const points = await super._loadDataPoints({ ...metaData, measure: OBJECTIVE });
            this.slmObjectives = {};
            for (const point of points) {
                this.slmObjectives[`${point.originIndex}|${point.identifier}`] = point.value;
            }
        }
        return dataPoints;
    }

    _getData(dataPoints, forceUseAllDataPoints) {
        const data = super._getData(dataPoints, forceUseAllDataPoints);
        this.slmObjectiveDatasets = [];
        if (!this.slmObjectives) {
            return data;
        }
        const byLabel = Object.fromEntries(data.datasets.map((d) => [d.label, d]));
        const lines = {};
        for (const point of dataPoints) {
            const dataset = byLabel[this._getDatasetLabel(point)];
            const objective = this.slmObjectives[`${point.originIndex}|${point.identifier}`];
            if (!dataset || objective === undefined || point.labelIndex === undefined) {
                continue;
            }
            if (!lines[dataset.label]) {
                lines[dataset.label] = {
                    label: _t("Objective: %s", dataset.label),
                    slmSeries: dataset.label,
                    originIndex: dataset.originIndex,
                    data: new Array(dataset.data.length).fill(null),
                    trueLabels: dataset.trueLabels,
                    domains: dataset.domains,
                };
            }
            lines[dataset.label].data[point.labelIndex] = objective;
        }
        this.slmObjectiveDatasets = Object.values(lines);
        return data;
    }
}

const OBJECTIVE_COLOR = "#343a40";

export class SlmObjectiveGraphRenderer extends GraphRenderer {
    /** Line charts: each target's objective as a dashed line of its colour. */
    getLineChartData() {
        const data = super.getLineChartData();
        const objectives = this.model.slmObjectiveDatasets || [];
        if (!objectives.length) {
            return data;
        }
        const colors = Object.fromEntries(data.datasets.map((d) => [d.label, d.borderColor]));
        // Odoo shifts a single point to the middle: shift the objective too.
        const shift = data.datasets[0].data.length > objectives[0].data.length;
        const lines = objectives.map((line) => ({
            ...line,
            data: shift ? [undefined, ...line.data] : [...line.data],
            fill: false,
            tension: 0,
            borderDash: [6, 4],
            borderWidth: 2,
            pointRadius: 0,
            pointHitRadius: 10,
            borderColor: colors[line.slmSeries],
            backgroundColor: colors[line.slmSeries],
        }));
        return { ...data, datasets: [...data.datasets, ...lines] };
    }

    /** Bar charts: a dashed mark across each bar at its target's objective,
     * and one legend entry for the marks. */
    getBarChartData() {
        const data = super.getBarChartData();
        if (!(this.model.slmObjectiveDatasets || []).length) {
            return data;
        }
        const legend = {
            label: _t("Objective"),
            type: "line",
            data: [],
            trueLabels: [],
            domains: [],
            borderColor: OBJECTIVE_COLOR,
            backgroundColor: OBJECTIVE_COLOR,
            borderDash: [6, 4],
            borderWidth: 2,
            pointRadius: 0,
        };
        return { ...data, datasets: [...data.datasets, legend] };
    }

    getChartConfig() {
        const config = super.getChartConfig();
        const objectives = this.model.slmObjectiveDatasets || [];
        if (config.type === "bar" && objectives.length) {
            const bySeries = Object.fromEntries(objectives.map((o) => [o.slmSeries, o.data]));
            config.plugins = [
                ...(config.plugins || []),
                {
                    id: "slmObjectiveMarks",
                    afterDatasetsDraw(chart) {
                        const { ctx, scales } = chart;
                        ctx.save();
                        ctx.strokeStyle = OBJECTIVE_COLOR;
                        ctx.lineWidth = 2;
                        ctx.setLineDash([6, 4]);
                        chart.data.datasets.forEach((dataset, index) => {
                            const values = bySeries[dataset.label];
                            const meta = chart.getDatasetMeta(index);
                            if (!values || meta.hidden) {
                                return;
                            }
                            meta.data.forEach((bar, position) => {
                                const value = values[position];
                                if (value === null || value === undefined) {
                                    return;
                                }
                                const y = scales.y.getPixelForValue(value);
                                ctx.beginPath();
                                ctx.moveTo(bar.x - bar.width / 2, y);
                                ctx.lineTo(bar.x + bar.width / 2, y);
                                ctx.stroke();
                            });
                        });
                        ctx.restore();
                    },
                },
            ];
        }
        return config;
    }
}

registry.category("views").add("slm_objective_graph", {
    ...graphView,
    Model: SlmObjectiveGraphModel,
    Renderer: SlmObjectiveGraphRenderer,
});
