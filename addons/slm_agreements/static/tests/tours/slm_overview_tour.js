/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// Issue 11: the SLM overview is the app's landing page of a Service Level
// Manager, and its figures match the records behind them: the count of
// breaches awaiting analysis opens a list of exactly that many breaches.
// Started by slm_agreements/tests/test_overview.py; not meant to be run by hand.

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

let expected = null;

registry.category("web_tour.tours").add("slm_agreements_overview_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("slm_catalogue.slm_menu_root", "Open Service Level Management"),
        {
            content: "The app opens on the overview",
            trigger: ".o_slm_overview .o_slm_overview_item[data-key=breaches_new] .o_slm_overview_count",
            run() {
                expected = parseInt(this.anchor.textContent, 10);
                if (!(expected > 0)) {
                    throw new Error(`expected breaches awaiting analysis, got ${this.anchor.textContent}`);
                }
            },
        },
        {
            content: "A target without any settled clock this month is not measured, not 0 %",
            trigger: ".o_slm_overview_attainment_row[data-target='Tourview resolution in 8 h'] .o_slm_overview_attainment_value:contains(not measured)",
        },
        {
            content: "Open the breaches awaiting analysis",
            trigger: ".o_slm_overview_item[data-key=breaches_new]",
            run: "click",
        },
        {
            content: "The list shows as many breaches as counted, all new",
            trigger: ".o_list_view .o_data_row:contains(Tourview Logistics)",
            run() {
                const rows = document.querySelectorAll(".o_list_view .o_data_row");
                if (rows.length !== expected) {
                    throw new Error(`the overview counted ${expected} breaches, the list shows ${rows.length}`);
                }
                for (const row of rows) {
                    if (!row.querySelector("td[name=state]").textContent.includes("New")) {
                        throw new Error(`a breach that is not new: ${row.textContent}`);
                    }
                }
            },
        },
        {
            content: "Back to the overview",
            trigger: ".o_breadcrumb a:contains(Overview)",
            run: "click",
        },
        {
            content: "The overview is shown again",
            trigger: ".o_slm_overview .o_slm_overview_item[data-key=breaches_new]",
        },
        {
            content: "Open the attainment report (this month by default)",
            trigger: ".o_main_navbar",
            run() {
                window.location.href = "/odoo/action-slm_agreements.slm_attainment_report_action";
            },
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph shows each target's objective (reporting display rule 1)",
            trigger: ".o_graph_renderer canvas",
            run() {
                const chart = window.Chart.getChart(this.anchor);
                const labels = chart.data.datasets.map((dataset) => dataset.label);
                if (!labels.some((label) => label.startsWith("Objective"))) {
                    throw new Error(`no objective line among ${labels.join(", ")}`);
                }
            },
        },
    ],
});
