# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


class SlmWorkflowMixin(models.AbstractModel):
    """Records whose status moves through their buttons only (guards on
    design documents; guard rule 1 of slm_agreements): a caller creates
    them as drafts and never writes their workflow fields; a button checks the
    caller's right to change the records, then writes as superuser.

    A model lists its workflow fields in ``_slm_workflow_fields`` and states
    its own messages; the checks are the same for all.
    """

    _name = "slm.workflow.mixin"
    _description = "SLM Workflow by Buttons"

    # The fields only the record's buttons write (who did what, and when).
    _slm_workflow_fields = frozenset({"state"})

    @api.model
    def _check_new_is_draft(self, vals_list, message):
        """Refuse (``message``) a new record that is not a draft, or whose
        workflow fields are set, unless the suite's code creates it."""
        if self.env.su:
            return
        workflow = self._slm_workflow_fields - {"state"}
        for vals in vals_list:
            if vals.get("state", "draft") != "draft" or any(
                vals.get(name) for name in workflow
            ):
                raise UserError(message)

    def _check_workflow_vals(self, vals, message):
        """Refuse (``message``; ``%(fields)s`` names the fields) a write of
        workflow fields, unless the suite's code writes them."""
        workflow = self._slm_workflow_fields.intersection(vals)
        if workflow and not self.env.su:
            raise UserError(
                message
                % {
                    "fields": ", ".join(
                        self._fields[name].string for name in sorted(workflow)
                    )
                }
            )

    def _system_write(self, vals):
        """Write the workflow fields for a button: the caller's right to
        change these records is checked (access rights and record rules),
        then the write runs as superuser."""
        self.check_access("write")
        return self.sudo().write(vals)

    def _refuse(self, message):
        """Refuse (``message``; ``%(names)s`` names them) when there are
        records in ``self``: the records a step or a guard does not allow."""
        if self:
            raise UserError(message % {"names": ", ".join(self.mapped("display_name"))})
