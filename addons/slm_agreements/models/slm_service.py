# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models


class SlmService(models.Model):
    _inherit = "slm.service"

    outage_count = fields.Integer(
        compute="_compute_outage_count",
        help="Outages that took this service down: its own, and those of the "
        "services it depends on.",
    )

    agreement_ids = fields.Many2many(
        "slm.agreement",
        string="Agreements",
        compute="_compute_agreement_ids",
        help="The agreements covering this service and not ended: those naming "
        "it and those for every service.",
    )

    def _compute_agreement_ids(self):
        # One search for the set, with the user's rights.
        Agreement = self.env["slm.agreement"]
        if not Agreement.has_access("read"):
            self.agreement_ids = Agreement
            return
        agreements = Agreement.search(
            [
                ("state", "not in", ("terminated", "superseded", "expired")),
                "|",
                ("service_ids", "in", self.ids),
                ("service_ids", "=", False),
            ]
        )
        for service in self:
            service.agreement_ids = agreements.filtered(
                lambda a, s=service: not a.service_ids or s in a.service_ids
            )

    def _compute_outage_count(self):
        counts = self._related_counts("slm.outage", "impacted_service_ids")
        for service in self:
            service.outage_count = counts.get(service, 0)

    @api.model
    def _slm_with_dependents(self, services):
        """{service id: the service and every service that depends on it,
        directly or through others}.

        Read from the catalogue's dependencies in one query; archived services
        are left out (they are no longer offered).
        """
        if not services:
            return {}
        self.env["slm.service"].flush_model(["dependency_ids", "active"])
        self.env.cr.execute(
            """
            SELECT rel.depends_on_id, rel.service_id
              FROM slm_service_dependency_rel rel
              JOIN slm_service svc ON svc.id = rel.service_id
             WHERE svc.active
            """
        )
        needed_by = defaultdict(set)
        for depends_on_id, service_id in self.env.cr.fetchall():
            needed_by[depends_on_id].add(service_id)
        result = {}
        for root in services:
            seen = {root.id}
            frontier = [root.id]
            while frontier:
                frontier = [
                    dependent
                    for service_id in frontier
                    for dependent in needed_by[service_id]
                    if dependent not in seen
                ]
                seen.update(frontier)
            result[root.id] = self.browse(sorted(seen))
        return result

    def action_view_outages(self):
        return self._related_action(
            "slm_agreements.slm_outage_action",
            [("impacted_service_ids", "in", self.id)],
            {"default_service_id": self.id},
        )

    def action_change_impact(self):
        """Assess a planned change of this service: who is affected, and the
        availability it would leave them."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Impact"),
            "res_model": "slm.change.impact.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_service_id": self.id},
        }
