/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// The chair of a planned service review prepares the agenda from the records,
// records the meeting as held, generates the minutes and sends them to the
// attendees through the mail composer: the review is then Minutes Sent.
// Started by slm_reviews/tests/test_tours.py (the agreement, the customer's
// contact and the planned review are created there); not meant to be run by
// hand.

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const CURRENT_STATE = ".o_statusbar_status button.o_arrow_button_current";

registry.category("web_tour.tours").add("slm_reviews_chair_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("slm_catalogue.slm_menu_root", "Open Service Level Management"),
        {
            content: "Open the Reviews menu",
            trigger: ".o_menu_sections button[data-menu-xmlid='slm_reviews.slm_menu_reviews']",
            run: "click",
        },
        {
            content: "Open the service reviews",
            trigger: ".dropdown-item[data-menu-xmlid='slm_reviews.slm_menu_review_list']",
            run: "click",
        },
        {
            content: "Open the planned review",
            trigger: ".o_list_view .o_data_row:contains(Tourprint Quarterly Review) td[name=name]",
            run: "click",
        },
        {
            content: "The review is planned",
            trigger: `${CURRENT_STATE}:contains(Planned)`,
        },
        // The agenda, generated from the records.
        {
            content: "Prepare the agenda",
            trigger: ".o_statusbar_buttons button[name=action_prepare_agenda]:contains(Prepare Agenda)",
            run: "click",
        },
        {
            content: "The agenda is ready",
            trigger: `${CURRENT_STATE}:contains(Agenda Ready)`,
        },
        {
            content: "The agenda reports the SLA's targets",
            trigger: ".o_form_view div[name=agenda] h2:contains(Performance per target)",
        },
        {
            trigger: ".o_form_view div[name=agenda]:contains(Tour first response in 2 h)",
        },
        // The meeting, then its minutes.
        {
            content: "The meeting was held",
            trigger: ".o_statusbar_buttons button[name=action_meeting_held]",
            run: "click",
        },
        {
            content: "The review is held",
            trigger: `${CURRENT_STATE}:contains(Held)`,
        },
        {
            content: "Generate the minutes",
            trigger: ".o_statusbar_buttons button[name=action_generate_minutes]:contains(Generate Minutes)",
            run: "click",
        },
        {
            content: "The minutes can be sent",
            trigger: ".o_statusbar_buttons button[name=action_send_minutes]",
        },
        {
            content: "Read the minutes",
            trigger: ".o_notebook a.nav-link[name=minutes]",
            run: "click",
        },
        {
            content: "The minutes are generated",
            trigger: ".o_form_view div[name=minutes] h1:contains(Minutes)",
        },
        // Sending: the mail composer opens with the minutes template.
        {
            content: "Send the minutes",
            trigger: ".o_statusbar_buttons button[name=action_send_minutes]",
            run: "click",
        },
        {
            content: "The composer addresses the customer's attendee",
            trigger: ".modal:not(.o_inactive_modal) div[name=partner_ids] .o_tag:contains(Rita Reviewer)",
        },
        {
            content: "Send",
            trigger: ".modal:not(.o_inactive_modal) .modal-footer button.o_mail_send:enabled",
            run: "click",
        },
        {
            content: "The minutes are sent",
            trigger: `${CURRENT_STATE}:contains(Minutes Sent)`,
        },
        {
            content: "The review is frozen",
            trigger: ".o_form_view .alert-info:contains(the review and its figures are frozen)",
        },
    ],
});
