/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// Reporting rule 2: a graph of percentages close to 100 (availability) is
// scaled to its data, so that a dip is visible; Odoo's graph always starts
// its axis at 0. Grouped by target, it shows the objectives too (reporting
// rule 1). Used with js_class="slm_scaled_graph".

import { registry } from "@web/core/registry";
import { graphView } from "@web/views/graph/graph_view";
import {
    SlmObjectiveGraphModel,
    SlmObjectiveGraphRenderer,
} from "@slm_agreements/views/slm_objective_graph";

export class SlmScaledGraphRenderer extends SlmObjectiveGraphRenderer {
    getScaleOptions() {
        const scales = super.getScaleOptions();
        if (scales.y) {
            scales.y.beginAtZero = false;
            delete scales.y.suggestedMin;
            delete scales.y.suggestedMax;
            scales.y.grace = "5%";
        }
        return scales;
    }
}

registry.category("views").add("slm_scaled_graph", {
    ...graphView,
    Model: SlmObjectiveGraphModel,
    Renderer: SlmScaledGraphRenderer,
});
