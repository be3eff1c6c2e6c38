# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SlmTicketPriority(models.Model):
    """A helpdesk ticket priority, as a record that agreement targets can select.

    Helpdesk priorities are a selection on the ticket: targets need them as
    records to offer a many2many ("this target applies to High and Very High").
    """

    _name = "slm.ticket.priority"
    _description = "Ticket Priority (Agreement Targets)"
    _order = "sequence, value"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    value = fields.Selection(
        selection="_selection_value",
        required=True,
        help="The helpdesk ticket priority this record stands for: a target "
        "limited to this priority applies to tickets that have it.",
    )

    _sql_constraints = [
        (
            "value_uniq",
            "unique(value)",
            "Each helpdesk priority can be listed only once.",
        ),
    ]

    # ------------------------------------------------------------------
    # Selection methods
    # ------------------------------------------------------------------

    @api.model
    def _selection_value(self):
        """The priorities of helpdesk tickets, so that both always agree."""
        return (
            self.env["helpdesk.ticket"]
            ._fields["priority"]
            ._description_selection(self.env)
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        if "value" in vals:
            # The ticket index holds the targets' priorities by value.
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # the ticket index (clock rule 1)
        return super().unlink()
