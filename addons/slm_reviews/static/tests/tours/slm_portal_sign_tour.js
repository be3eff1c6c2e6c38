/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// A customer's contact (portal user) finds in /my the SLA waiting for its
// signature, opens it, signs it with the portal's signature form and sees it
// signed; the other customer's agreement to sign is nowhere.
// Started by slm_reviews/tests/test_tours.py (both customers and their SLAs
// under negotiation are created there); not meant to be run by hand.

import { registry } from "@web/core/registry";

const NOTHING_OF_B = "body:not(:contains(Bravo Sign Corp)):not(:contains(Bravo Secret Terms))";

registry.category("web_tour.tours").add("slm_reviews_portal_sign_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home offers the service level agreements",
            trigger: ".o_portal_my_home a[href='/my/slm/agreements']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The SLA to sign is listed, waiting for the signature",
            trigger: ".o_portal_my_doc_table tr:contains(Alpha Signing SLA) .badge:contains(Waiting for your signature)",
        },
        {
            content: "The other customer's agreement is not",
            trigger: NOTHING_OF_B,
        },
        {
            content: "Open the SLA",
            trigger: ".o_portal_my_doc_table a:contains(Alpha Signing SLA)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Its terms: the target and its objective",
            trigger: ".o_slm_portal_target:contains(Alpha fix in 8 h):contains(95 %)",
        },
        {
            content: "The PDF can be downloaded",
            trigger: "a.o_slm_portal_agreement_pdf[href*='report_type=pdf']",
        },
        {
            content: "Sign",
            trigger: "a.o_slm_portal_sign_button",
            run: "click",
        },
        {
            content: "The name is the contact's",
            // .show: Bootstrap has finished opening the modal, so its
            // "shown" handler (which resets the signature) has run.
            trigger: ".modal.show .o_web_sign_name_and_signature input:value(Alice Alpha)",
        },
        {
            content: "Choose a style: the signature is drawn from the name",
            trigger: ".modal .o_web_sign_auto_select_style button",
            run: "click",
        },
        {
            content: "Style 2",
            trigger: ".o-dropdown-item:eq(1)",
            run: "click",
        },
        {
            content: "The signature is drawn on the pad (not only chosen)",
            trigger: ".modal.show canvas.o_web_sign_signature",
            async run() {
                // The style is drawn asynchronously: wait for ink on the pad,
                // which the widget puts there only once it can export it.
                const canvas = this.anchor;
                const inked = () =>
                    canvas
                        .getContext("2d")
                        .getImageData(0, 0, canvas.width, canvas.height)
                        .data.some((value, index) => index % 4 === 3 && value);
                for (let i = 0; i < 100 && !inked(); i++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                if (!inked()) {
                    throw new Error("The signature was never drawn.");
                }
            },
        },
        {
            content: "Submit the signature",
            trigger: ".modal.show .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked, and the signature is shown",
            trigger: ".o_slm_portal_signed_ok",
        },
        {
            content: "Signed by the contact",
            trigger: ".o_slm_portal_signature:contains(Alice Alpha) img",
        },
        {
            content: "Now awaiting the provider's signature, no Sign button",
            trigger: "body:not(:has(a.o_slm_portal_sign_button)) .badge:contains(Signed, awaiting our signature)",
        },
    ],
});
