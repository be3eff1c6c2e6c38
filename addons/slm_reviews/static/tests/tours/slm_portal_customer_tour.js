/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// A customer's contact (portal user) opens /my, finds the customer's SLA and
// its attainment of last month, as issued in the monthly statement, and sees
// nothing of another customer's SLA on any of these pages.
// Started by slm_reviews/tests/test_tours.py (both customers, their SLAs,
// tickets and issued statements are created there); not meant to be run by
// hand.

import { registry } from "@web/core/registry";

// On every page: nothing of the other customer.
const NOTHING_OF_B = "body:not(:contains(Bravo Tour Corp)):not(:contains(Bravo Secret SLA))";

registry.category("web_tour.tours").add("slm_reviews_portal_customer_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home offers the service level agreements",
            trigger: ".o_portal_my_home a[href='/my/slm/agreements']",
            run: "click",
        },
        {
            content: "The customer's SLA is listed",
            trigger: ".o_portal_my_doc_table a:contains(Alpha Printing SLA)",
        },
        {
            content: "In force",
            trigger: ".o_portal_my_doc_table tr:contains(Alpha Printing SLA) .badge:contains(In force)",
        },
        {
            content: "The other customer's SLA is not",
            trigger: NOTHING_OF_B,
        },
        {
            content: "Open the SLA",
            trigger: ".o_portal_my_doc_table a:contains(Alpha Printing SLA)",
            run: "click",
        },
        {
            content: "Last month's issued statement gives the attainment",
            trigger: "th.o_slm_portal_month a[href^='/my/slm/statements/']",
        },
        {
            content: "First response: 1 of 2 tickets met, 50.0 %, objective missed",
            trigger: "tr.o_slm_portal_attainment_row:contains(Alpha first response in 1 h):contains(50.0 %) .fa-times",
        },
        {
            content: "Resolution: 2 of 2 tickets met, 100.0 %, objective achieved",
            trigger: "tr.o_slm_portal_attainment_row:contains(Alpha resolution in 4 h):contains(100.0 %) .fa-check",
        },
        {
            content: "Nothing of the other customer on the SLA's page",
            trigger: NOTHING_OF_B,
        },
        {
            content: "Open the issued statement",
            trigger: "th.o_slm_portal_month a[href^='/my/slm/statements/']",
            run: "click",
        },
        {
            content: "The statement shows the issued lines",
            trigger: "tr.o_slm_portal_statement_line:contains(Alpha first response in 1 h)",
        },
        {
            content: "Nothing of the other customer on the statement",
            trigger: NOTHING_OF_B,
        },
    ],
});
