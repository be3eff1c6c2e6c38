# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, tagged

from .common import SlmCatalogueCase


@tagged("post_install", "-at_install")
class TestTicketService(SlmCatalogueCase):
    def test_category_decides(self):
        ticket = self._ticket(category_id=self.hd_hardware.id)
        self.assertEqual(ticket.service_id, self.svc_laptop)

    def test_parent_category_decides_for_subcategory(self):
        ticket = self._ticket(category_id=self.hd_laptops.id)
        self.assertEqual(ticket.service_id, self.svc_laptop)

    def test_subcategory_mapping_beats_parent(self):
        docking = self.Service.create(
            {
                "code": "TDOCK",
                "name": "Docking stations",
                "owner_id": self.owner.id,
                "state": "live",
                "helpdesk_category_ids": [(6, 0, self.hd_laptops.ids)],
            }
        )
        self.assertEqual(
            self._ticket(category_id=self.hd_laptops.id).service_id, docking
        )
        self.assertEqual(
            self._ticket(category_id=self.hd_hardware.id).service_id, self.svc_laptop
        )

    def test_team_narrows_a_shared_category(self):
        # T Software is mapped to Office Suite (workplace team) and ERP (apps team).
        office = self._ticket(
            category_id=self.hd_software.id, team_id=self.team_workplace.id
        )
        erp = self._ticket(category_id=self.hd_software.id, team_id=self.team_apps.id)
        unknown = self._ticket(category_id=self.hd_software.id)
        self.assertEqual(office.service_id, self.svc_office)
        self.assertEqual(erp.service_id, self.svc_erp)
        self.assertFalse(unknown.service_id, "two services and no team: no guess")

    def test_team_decides_without_category(self):
        self.assertEqual(
            self._ticket(team_id=self.team_network.id).service_id, self.svc_network
        )
        # The workplace team serves two services: the team alone cannot decide.
        self.assertFalse(self._ticket(team_id=self.team_workplace.id).service_id)

    def test_retired_and_archived_services_never_chosen(self):
        self.svc_network.with_context(slm_lifecycle_reason="x").write(
            {"state": "retired"}
        )
        self.assertFalse(self._ticket(team_id=self.team_network.id).service_id)
        self.svc_laptop.active = False
        self.assertFalse(self._ticket(category_id=self.hd_hardware.id).service_id)

    def test_other_company_services_never_chosen(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        self.owner.company_ids |= other_company
        self.Service.create(
            {
                "code": "TOTHER",
                "name": "Other company's service",
                "owner_id": self.owner.id,
                "state": "live",
                "company_id": other_company.id,
                "helpdesk_category_ids": [(6, 0, self.hd_unmapped.ids)],
            }
        )
        self.assertFalse(self._ticket(category_id=self.hd_unmapped.id).service_id)

    def test_agent_can_change_service_and_category_change_rederives(self):
        ticket = self._ticket(category_id=self.hd_hardware.id)
        with Form(ticket.with_user(self.agent)) as form:
            form.service_id = self.svc_erp
        self.assertEqual(ticket.service_id, self.svc_erp)
        # Unrelated edits keep the agent's choice.
        ticket.write({"name": "Still about the ERP", "priority": "3"})
        self.assertEqual(ticket.service_id, self.svc_erp)
        # A new category decides again.
        ticket.category_id = self.hd_laptops
        self.assertEqual(ticket.service_id, self.svc_laptop)

    def test_unmapped_category_keeps_service(self):
        ticket = self._ticket(category_id=self.hd_hardware.id)
        self.assertEqual(ticket.service_id, self.svc_laptop)
        ticket.flush_recordset()
        ticket.category_id = self.hd_unmapped
        self.assertEqual(ticket.service_id, self.svc_laptop)

    def test_explicit_service_at_creation_kept(self):
        ticket = self._ticket(
            category_id=self.hd_hardware.id, service_id=self.svc_erp.id
        )
        self.assertEqual(ticket.service_id, self.svc_erp)

    def test_new_mapping_reaches_open_tickets_without_service(self):
        open_ticket = self._ticket(category_id=self.hd_unmapped.id)
        mapped_ticket = self._ticket(category_id=self.hd_hardware.id)
        closed_stage = self.env["helpdesk.ticket.stage"].search(
            [("closed", "=", True)], limit=1
        )
        closed_ticket = self._ticket(
            category_id=self.hd_unmapped.id, stage_id=closed_stage.id
        )
        self.assertFalse(open_ticket.service_id)
        self.svc_erp.with_user(self.owner).write(
            {"helpdesk_category_ids": [(4, self.hd_unmapped.id)]}
        )
        self.assertEqual(open_ticket.service_id, self.svc_erp)
        self.assertEqual(mapped_ticket.service_id, self.svc_laptop, "kept")
        self.assertFalse(closed_ticket.service_id, "closed tickets are history")

    def test_mapping_from_the_category_or_team_side(self):
        """The links are kept in the registry's map (slm.service
        ._slm_ticket_map): changed from the category's or the team's side,
        the next ticket follows them as from the service's."""
        self.assertFalse(self._ticket(category_id=self.hd_unmapped.id).service_id)
        self.hd_unmapped.write({"slm_service_ids": [(4, self.svc_erp.id)]})
        ticket = self._ticket(category_id=self.hd_unmapped.id)
        self.assertEqual(ticket.service_id, self.svc_erp)
        self.hd_unmapped.write({"slm_service_ids": [(5, 0, 0)]})
        self.assertFalse(self._ticket(category_id=self.hd_unmapped.id).service_id)
        self.team_unmapped.write({"slm_service_ids": [(4, self.svc_erp.id)]})
        self.assertEqual(self._ticket().service_id, self.svc_erp)

    def test_tickets_searchable_and_groupable_by_service(self):
        self._ticket(category_id=self.hd_hardware.id)
        self._ticket(category_id=self.hd_laptops.id)
        self._ticket(team_id=self.team_network.id)
        Ticket = self.env["helpdesk.ticket"]
        self.assertEqual(Ticket.search_count([("service_id.code", "=", "TLAPTOP")]), 2)
        groups = dict(
            Ticket._read_group(
                [("service_id", "in", (self.svc_laptop | self.svc_network).ids)],
                ["service_id"],
                ["__count"],
            )
        )
        self.assertEqual(groups, {self.svc_laptop: 2, self.svc_network: 1})

    def test_derivation_is_set_based(self):
        """Deriving services costs the same queries for 5 tickets as for 60."""
        Ticket = self.env["helpdesk.ticket"]
        few = Ticket.browse(
            [self._ticket(category_id=self.hd_laptops.id).id for _ in range(5)]
        )
        many = Ticket.browse(
            [self._ticket(category_id=self.hd_laptops.id).id for _ in range(60)]
        )
        Service = self.env["slm.service"]

        def count_queries(tickets):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            found = Service._find_for_tickets(tickets)
            queries = self.cr.sql_log_count - before
            self.assertEqual(len(found), len(tickets))
            self.assertEqual(set(found.values()), {self.svc_laptop})
            return queries

        count_queries(few)  # warm the registry caches
        self.assertEqual(count_queries(few), count_queries(many))
