# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmDeadlineProposalWizard(models.TransientModel):
    """Propose a new deadline for a clock (negotiated deadline rule 1)."""

    _name = "slm.deadline.proposal.wizard"
    _description = "Propose a New Deadline"

    clock_id = fields.Many2one("slm.clock", required=True, readonly=True)
    ticket_id = fields.Many2one(related="clock_id.ticket_id")
    target_id = fields.Many2one(related="clock_id.target_id")
    current_deadline = fields.Datetime(related="clock_id.deadline")
    proposed_deadline = fields.Datetime(
        required=True,
        help="The new deadline: the clock will be met if it stops by then, "
        "breached after.",
    )
    reason = fields.Text(required=True, help="Why the deadline should change.")

    def action_propose(self):
        """Create the proposal and propose it: the Service Level Manager gets
        an activity to approve or refuse it."""
        self.ensure_one()
        proposal = self.env["slm.deadline.proposal"].create(
            {
                "clock_id": self.clock_id.id,
                "proposed_deadline": self.proposed_deadline,
                "reason": self.reason,
            }
        )
        proposal.action_propose()
        return {"type": "ir.actions.act_window_close"}
