/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// Issue 11: the helpdesk team card counts the tickets at risk and breached and
// opens them; the availability graph (slm_scaled_graph, lazy-loaded) renders.
// Started by slm_agreements/tests/test_tours.py; not meant to be run by hand.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("slm_agreements_daily_use_tour", {
    url: "/odoo/action-helpdesk_mgmt.helpdesk_ticket_dashboard_action",
    steps: () => [
        {
            content: "The team card counts one breached ticket",
            trigger: ".o_kanban_record:contains(Tourdaily Desk) div[name=slm_breached_count]:contains(1)",
        },
        {
            content: "Open the breached tickets",
            trigger: ".o_kanban_record:contains(Tourdaily Desk) a[name=action_slm_view_breached]",
            run: "click",
        },
        {
            content: "The breached ticket is listed, with its overdue time",
            trigger: ".o_kanban_record:contains(Tourdaily late ticket):contains(Overdue by)",
        },
        {
            content: "Open the ticket",
            trigger: ".o_kanban_record:contains(Tourdaily late ticket)",
            run: "click",
        },
        {
            content: "The clocks are in the form's header",
            trigger: ".o_form_view div[name=slm_clock_ids] td[name=display_state] .badge:contains(Breached)",
        },
        {
            content: "Open the availability report",
            trigger: ".o_main_navbar",
            run() {
                window.location.href = "/odoo/action-slm_agreements.slm_availability_action";
            },
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The scaled graph is drawn",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
