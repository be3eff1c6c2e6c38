# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "slm_catalogue.group_slm_manager"


class SlmSealVerification(models.TransientModel):
    """Verify Integrity: recompute every chain of sealed documents and say,
    per kind and company, how many are sealed, the first and last, and
    whether any was altered behind the application (seal rule 4). The result
    is kept as shown, to be printed for a customer or an auditor."""

    _name = "slm.seal.verification"
    _description = "Sealed Documents: Integrity Verification"

    checked_at = fields.Datetime(readonly=True)
    checked_by_id = fields.Many2one("res.users", readonly=True)
    all_ok = fields.Boolean(string="All Chains Intact", readonly=True)
    result_html = fields.Html(string="Result", readonly=True, sanitize=False)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        values.update(self._verify())
        return values

    @api.model_create_multi
    def create(self, vals_list):
        # The result is what the suite found, never what a caller sends.
        verified = self._verify()
        for vals in vals_list:
            vals.update(verified)
        return super().create(vals_list)

    def write(self, vals):
        # The printed result is evidence: nobody edits it.
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The result of a verification is what the suite found: it "
                    "cannot be edited. Verify the integrity again instead."
                )
            )
        return super().write(vals)

    @api.model
    def _verify(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a Service Level Manager verifies the integrity.")
            )
        results = self.env["slm.seal"]._verify_chains()
        now = fields.Datetime.now()
        html = self.env["ir.qweb"]._render(
            "slm_agreements.seal_verification_result",
            {
                "results": results,
                "checked_at": now,
                "user": self.env.user,
                "format_datetime": lambda value: fields.Datetime.to_string(value),
            },
        )
        return {
            "checked_at": now,
            "checked_by_id": self.env.uid,
            "all_ok": all(result["ok"] for result in results),
            "result_html": html,
        }

    def action_print(self):
        self.ensure_one()
        return self.env.ref(
            "slm_agreements.action_report_seal_verification"
        ).report_action(self)
