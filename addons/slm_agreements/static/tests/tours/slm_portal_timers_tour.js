/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// A customer's contact (portal user) opens their tickets: the list shows the
// most urgent SLA timer of their ticket, the ticket's page both SLA timers
// with their due time in the contact's time zone, never the internal OLA's;
// another customer's ticket appears nowhere (customer timer rules 1-3).
// Started by slm_agreements/tests/test_portal_timers.py (the agreements and
// tickets are created there); not meant to be run by hand.

import { registry } from "@web/core/registry";

const ROW = "tr:contains(T Portal printer down)";

registry.category("web_tour.tours").add("slm_agreements_portal_timers_tour", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "The ticket list has a Service Level column",
            trigger: "th[name=th_slm_timer]",
        },
        {
            content: "The ticket's most urgent timer is on track, with its due time",
            trigger: `${ROW} td.o_slm_timer:contains(Due):contains(Europe/Brussels) .o_slm_timer_state:contains(On track)`,
        },
        {
            content: "Another customer's ticket is not listed",
            trigger: "body:not(:contains(T Stranger printer down))",
        },
        {
            content: "Open the ticket",
            trigger: `${ROW} a:contains(T Portal printer down)`,
            run: "click",
        },
        {
            content: "The response timer",
            trigger: "#slm_timers li.o_slm_timer:contains(T Portal answer in 4 h):contains(Due) .o_slm_timer_state:contains(On track)",
        },
        {
            content: "The resolution timer",
            trigger: "#slm_timers li.o_slm_timer:contains(T Portal fix in 8 h):contains(Due) .o_slm_timer_state:contains(On track)",
        },
        {
            content: "No internal OLA timer",
            trigger: "#slm_timers:not(:contains(T Internal OLA answer))",
        },
    ],
});
