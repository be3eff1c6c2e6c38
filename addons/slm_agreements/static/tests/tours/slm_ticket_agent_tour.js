/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// A helpdesk agent opens a ticket assigned to them, covered by an agreed SLA
// with a response and a resolution target: both clocks run. The agent replies
// to the customer (Send message): the form header shows the response clock
// met at once, without a reload (clock display rule 5); the agent closes the
// ticket and sees both clocks met (clock display rule 1).
// Started by slm_agreements/tests/test_tours.py (the SLA and the ticket are
// created there); not meant to be run by hand.

import { queryAll } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const CLOCKS = "div[name=slm_clock_ids]";

registry.category("web_tour.tours").add("slm_agreements_ticket_agent_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("helpdesk_mgmt.helpdesk_ticket_main_menu", "Open the Helpdesk"),
        {
            content: "Open the Tickets menu",
            trigger: ".o_menu_sections button[data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_menu']",
            run: "click",
        },
        {
            content: "My tickets",
            trigger: ".dropdown-item[data-menu-xmlid='helpdesk_mgmt.helpdesk_own_ticket_menu']",
            run: "click",
        },
        {
            content: "Open the ticket",
            trigger: ".o_kanban_record:contains(Tourprint printer jammed)",
            run: "click",
        },
        {
            content: "The ticket is open",
            trigger: ".o_form_view div[name=name] input:value(Tourprint printer jammed)",
        },
        // Both clocks run until the agent replies and closes the ticket.
        {
            content: "Open the Service Levels tab",
            trigger: ".o_notebook a.nav-link[name=slm_clocks]",
            run: "click",
        },
        {
            content: "Two clocks are running",
            trigger: `${CLOCKS} .o_data_row:eq(1) td[name=display_state] .badge:contains(On track)`,
            run() {
                expectClocks(["On track", "On track"]);
            },
        },
        // The reply to the customer stops the response clock.
        {
            content: "Reply to the customer",
            trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            content: "Write the reply",
            trigger: ".o-mail-Chatter .o-mail-Composer-input",
            run: "edit Hello, the printer is fixed: the paper tray was misaligned.",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Chatter .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The reply is posted",
            trigger: ".o-mail-Message:contains(the paper tray was misaligned)",
        },
        // Clock display rule 5: the form follows its clocks, without a reload.
        {
            content: "The response clock is met at once, the resolution clock still counts down",
            trigger: `${CLOCKS} .o_data_row:eq(0) td[name=display_state] .badge:contains(Met)`,
            run() {
                expectClocks(["Met", "On track"]);
                const left = queryAll(`${CLOCKS} .o_data_row td[name=time_left_label]`).map(
                    (cell) => cell.textContent.trim()
                );
                if (!/^Met, \d+:\d\d to spare$/.test(left[0]) || !/^\d+:\d\d left$/.test(left[1])) {
                    throw new Error(`Time left in the form header: got ${left.join(", ")}`);
                }
            },
        },
        // Closing the ticket stops the resolution clock.
        {
            content: "More stages",
            trigger: ".o_statusbar_status button.dropdown-toggle.o_first[aria-label='More...']",
            run: "click",
        },
        {
            content: "Close the ticket",
            trigger: ".o-dropdown--menu .dropdown-item:contains(Done)",
            run: "click",
        },
        {
            content: "The ticket is closed",
            trigger: ".o_statusbar_status .dropdown-toggle.o_arrow_button_current:contains(Done), .o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
        {
            content: "Both clocks are met",
            trigger: `${CLOCKS} .o_data_row:eq(1) td[name=display_state] .badge:contains(Met)`,
            run() {
                expectClocks(["Met", "Met"]);
            },
        },
        {
            content: "The ticket's service level is met",
            trigger: ".o_form_view div[name=slm_status]:contains(Met)",
        },
    ],
});

/** Fails the tour unless the clock list shows exactly these statuses. */
function expectClocks(expected) {
    const statuses = queryAll(`${CLOCKS} .o_data_row td[name=display_state]`).map((cell) =>
        cell.textContent.trim()
    );
    if (JSON.stringify(statuses) !== JSON.stringify(expected)) {
        throw new Error(
            `Clocks in the form header: expected ${expected.join(", ")}, got ${statuses.join(", ")}`
        );
    }
}
