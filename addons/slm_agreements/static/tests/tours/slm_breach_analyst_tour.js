/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// A Service Level Analyst opens a new breach, starts the gap analysis, records
// the cause, the root cause and the corrective action, plans the actions and
// closes the analysis.
// Started by slm_agreements/tests/test_tours.py (the breached ticket and its
// breach record are created there); not meant to be run by hand.

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("slm_agreements_breach_analyst_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("slm_catalogue.slm_menu_root", "Open Service Level Management"),
        {
            content: "Open the Agreements menu",
            trigger: ".o_menu_sections button[data-menu-xmlid='slm_agreements.slm_menu_agreements']",
            run: "click",
        },
        {
            content: "Open the breaches",
            trigger: ".dropdown-item[data-menu-xmlid='slm_agreements.slm_breach_menu']",
            run: "click",
        },
        {
            content: "Open the customer's new breach",
            trigger: ".o_list_view .o_data_row:contains(Tourbreach Logistics) td[name=state]:contains(New)",
            run: "click",
        },
        {
            content: "The breach of the response target is open",
            trigger: ".o_form_view div[name=target_id]:contains(Tour first response in 1 h)",
        },
        {
            content: "Start the analysis",
            trigger: ".o_statusbar_buttons button[name=action_start_analysis]",
            run: "click",
        },
        {
            content: "The analysis has started, taken by the analyst",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Analysing)",
        },
        {
            trigger: ".o_form_view div[name=analyst_id] input:value(Ana Lyst)",
        },
        {
            content: "Choose the cause",
            trigger: ".o_form_view div[name=cause_id] input",
            run: "edit Tour supplier",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour supplier delay)",
            run: "click",
        },
        {
            content: "Write the root cause",
            trigger: ".o_form_view div[name=root_cause] textarea",
            run: "edit The on-call agent was waiting for the courier's tracking number.",
        },
        {
            content: "Write the corrective action",
            trigger: ".o_form_view div[name=corrective_action] textarea",
            run: "edit Answer first, then chase the courier.",
        },
        {
            content: "Plan the actions (saves the analysis)",
            trigger: ".o_statusbar_buttons button[name=action_plan_actions]",
            run: "click",
        },
        {
            content: "Actions are planned",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Action Planned)",
        },
        {
            content: "Close the analysis",
            trigger: ".o_statusbar_buttons button[name=action_close]:enabled",
            run: "click",
        },
        {
            content: "The analysis is closed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Closed)",
        },
        {
            content: "The analysis can no longer be changed",
            trigger: ".o_form_view div[name=root_cause]:not(:has(textarea)):contains(courier's tracking number)",
        },
    ],
});
