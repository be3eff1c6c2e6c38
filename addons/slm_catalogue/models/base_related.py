# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The records related to a record, counted and opened the same way by all
the suite's smart buttons."""

from odoo import models


class Base(models.AbstractModel):
    _inherit = "base"

    def _related_counts(self, model, field, domain=()):
        """{record: number of ``model`` records whose ``field`` holds it (and
        that match ``domain``)}, for all of ``self`` in one grouped read
        (``counts.get(record, 0)``)."""
        return dict(
            self.env[model]._read_group(
                [(field, "in", self.ids), *domain], [field], ["__count"]
            )
        )

    def _related_action(self, xmlid, domain, context=None):
        """The window action ``xmlid`` on the records ``domain`` finds, with
        ``context`` (the defaults of a new one) instead of the action's."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        action["context"] = context or {}
        return action
