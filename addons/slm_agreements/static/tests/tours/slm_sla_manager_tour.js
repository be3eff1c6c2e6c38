/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// A Service Level Manager adds a service to the catalogue, puts it live, then
// drafts an SLA for a customer with a response and a resolution target,
// records the customer's sign-off and agrees it.
// Started by slm_agreements/tests/test_tours.py (the customer and its
// signatory are created there); not meant to be run by hand.

import { registry } from "@web/core/registry";
import { formatDate } from "@web/core/l10n/dates";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const { DateTime } = luxon;

registry.category("web_tour.tours").add("slm_agreements_sla_manager_tour", {
    url: "/odoo",
    steps: () => [
        // ---------------------------------------------------- the service
        ...stepUtils.goToAppSteps("slm_catalogue.slm_menu_root", "Open Service Level Management"),
        {
            content: "The app opens on the overview (reporting display rule 4)",
            trigger: ".o_slm_overview .o_slm_overview_section",
        },
        {
            content: "Open the Catalogue menu",
            trigger: ".o_menu_sections button[data-menu-xmlid='slm_catalogue.slm_menu_catalogue']",
            run: "click",
        },
        {
            content: "Open the services",
            trigger: ".dropdown-item[data-menu-xmlid='slm_catalogue.slm_service_menu']",
            run: "click",
        },
        {
            content: "The services are listed",
            trigger: ".o_breadcrumb .active:contains(Services)",
        },
        {
            content: "Add a service",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Name the service",
            trigger: ".o_form_view div[name=name] input",
            run: "edit Tourprint Managed Printing",
        },
        {
            content: "Give it a code",
            trigger: ".o_form_view div[name=code] input",
            run: "edit TOURPRINT",
        },
        {
            content: "Put it live (saves the service)",
            trigger: ".o_statusbar_buttons button[name=action_set_live]",
            run: "click",
        },
        {
            content: "The service is live",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Live)",
        },
        {
            content: "The service is saved",
            trigger: ".o_breadcrumb .active:contains(Tourprint Managed Printing)",
        },
        // -------------------------------------------------------- the SLA
        {
            content: "Open the Agreements menu",
            trigger: ".o_menu_sections button[data-menu-xmlid='slm_agreements.slm_menu_agreements']",
            run: "click",
        },
        {
            content: "Open the Service Level Agreements",
            trigger: ".dropdown-item[data-menu-xmlid='slm_agreements.slm_agreement_sla_menu']",
            run: "click",
        },
        {
            content: "The agreements are shown",
            trigger: ".o_breadcrumb .active:contains(Service Level Agreements)",
        },
        {
            content: "Draft a new SLA",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "The agreement form opens",
            trigger: ".o_form_view div[name=structure]",
        },
        {
            content: "Name the agreement",
            trigger: ".o_form_view div[name=name] input",
            run: "edit Tourprint Printing SLA",
        },
        // Scope: the customer and the new service.
        {
            content: "Open the Scope tab",
            trigger: ".o_notebook a.nav-link[name=scope]",
            run: "click",
        },
        {
            content: "Choose the customer",
            trigger: ".o_form_view div[name=partner_id] input",
            run: "edit Tourprint Industries",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tourprint Industries)",
            run: "click",
        },
        {
            content: "Choose the service",
            trigger: ".o_form_view div[name=service_ids] input",
            run: "edit Tourprint Managed",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tourprint Managed Printing)",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=service_ids] .o_tag:contains(Tourprint Managed Printing)",
        },
        // Targets: first response within 2 hours, resolution within 6 hours.
        {
            content: "Open the Targets tab",
            trigger: ".o_notebook a.nav-link[name=targets]",
            run: "click",
        },
        {
            content: "Add the response target",
            trigger: "div[name=target_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: "div[name=target_ids] .o_selected_row td[name=metric] select",
            run: "selectByLabel First Response",
        },
        {
            trigger: "div[name=target_ids] .o_selected_row td[name=threshold_hours] input",
            run: "edit 02:00",
        },
        {
            content: "Add the resolution target",
            trigger: "div[name=target_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "The response target is kept",
            trigger: "div[name=target_ids] .o_data_row:not(.o_selected_row) td[name=metric]:contains(First Response)",
        },
        {
            trigger: "div[name=target_ids] .o_selected_row td[name=metric] select",
            run: "selectByLabel Resolution",
        },
        {
            trigger: "div[name=target_ids] .o_selected_row td[name=threshold_hours] input",
            run: "edit 06:00",
        },
        // Sign-off: who signed for the customer, and when (today).
        {
            content: "Open the Sign-off tab",
            trigger: ".o_notebook a.nav-link[name=sign_off]",
            run: "click",
        },
        {
            content: "The resolution target is kept",
            trigger: ".o_notebook a.nav-link.active[name=sign_off]",
        },
        {
            content: "Who signed for the customer",
            trigger: ".o_form_view div[name=customer_signed_by_id] input",
            run: "edit Tara Signer",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tara Signer)",
            run: "click",
        },
        {
            content: "Signed today",
            trigger: ".o_form_view div[name=customer_signed_date] input",
            run: `edit ${formatDate(DateTime.now())} && press Enter`,
        },
        // Agree: the provider signs, the terms are frozen.
        {
            content: "Agree the SLA",
            trigger: ".o_statusbar_buttons button[name=action_agree]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal:not(.o_inactive_modal) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The SLA is agreed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Agreed)",
        },
        {
            content: "Signed by the provider",
            trigger: ".o_form_view div[name=provider_signed_by_id]:contains(Sam Levels)",
        },
        // Back to the list: the status badge reads Agreed.
        {
            content: "Back to the agreements",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a:contains(Service Level Agreements)",
            run: "click",
        },
        {
            content: "As a list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The status badge of the new SLA reads Agreed",
            trigger: ".o_list_view .o_data_row:contains(Tourprint Printing SLA) td[name=state] .badge:contains(Agreed)",
        },
    ],
});
