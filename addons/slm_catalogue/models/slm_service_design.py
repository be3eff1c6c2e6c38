# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# Fields frozen once a document is signed off: a new version is made instead.
FROZEN_FIELDS = {"name", "service_id", "version_number", "content"}
# Set by the buttons only (Submit, Sign Off, Reset to Draft), which check who
# may; they write as superuser, plain writes are refused (issue 16: no context
# key nor plain write decides a sign-off).
WORKFLOW_FIELDS = {
    "state",
    "submitted_by_id",
    "submitted_date",
    "signed_off_by_id",
    "signed_off_date",
}


class SlmServiceDesign(models.Model):
    """Service Design Document (SDD): drafted, submitted, signed off by an SLM."""

    _name = "slm.service.design"
    _description = "Service Design Document"
    _inherit = ["mail.thread", "mail.activity.mixin", "slm.workflow.mixin"]
    _order = "service_id, version_number desc, id desc"
    _slm_workflow_fields = frozenset(WORKFLOW_FIELDS)
    _rec_names_search = ["name", "service_id"]

    name = fields.Char(string="Title", required=True, tracking=True)
    service_id = fields.Many2one(
        "slm.service", required=True, index=True, ondelete="cascade", tracking=True
    )
    version_number = fields.Integer(
        string="Version",
        required=True,
        default=1,
        copy=False,
        help="Increases with each new version of the document of a service.",
    )
    content = fields.Html(
        help="The design: requirements, architecture, capacity, continuity, "
        "support model. Attach drawings and files in the chatter."
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("signed_off", "Signed Off"),
        ],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        index=True,
    )
    author_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    signed_off_by_id = fields.Many2one(
        "res.users", string="Signed Off By", readonly=True, copy=False, tracking=True
    )
    signed_off_date = fields.Datetime(readonly=True, copy=False)
    company_id = fields.Many2one(related="service_id.company_id", store=True)

    _sql_constraints = [
        (
            "service_version_uniq",
            "unique(service_id, version_number)",
            "This service already has a design document with this version number.",
        ),
        (
            "version_positive",
            "CHECK(version_number > 0)",
            "The version number of a design document must be 1 or more.",
        ),
    ]

    @api.depends("name", "version_number")
    def _compute_display_name(self):
        for document in self:
            document.display_name = f"{document.name} (v{document.version_number})"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_new_is_draft(
            vals_list,
            self.env._(
                "A design document starts as a draft: it is submitted and "
                "signed off with the buttons of its form."
            ),
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_vals(
            vals,
            self.env._(
                "A design document is submitted and signed off with its "
                "buttons only, which record who did it and when: %(fields)s "
                "cannot be written directly."
            ),
        )
        frozen = FROZEN_FIELDS.intersection(vals)
        if frozen and self.filtered(lambda d: d.state == "signed_off"):
            raise UserError(
                self.env._(
                    "A signed-off design document cannot be changed. "
                    "Create a new version of it instead."
                )
            )
        return super().write(vals)

    @api.constrains("state", "signed_off_by_id", "author_id", "submitted_by_id")
    def _check_four_eyes(self):
        """Whoever wrote, submitted or created a document never signs it off,
        whatever the path (even a superuser write)."""
        for document in self.filtered("signed_off_by_id"):
            signer = document.signed_off_by_id
            if signer in document._authors():
                raise ValidationError(
                    self.env._(
                        "%(user)s wrote or submitted %(doc)s: another Service "
                        "Level Manager must sign it off.",
                        user=signer.name,
                        doc=document.display_name,
                    )
                )

    def _authors(self):
        """Who wrote, submitted or created the document: never its signer."""
        self.ensure_one()
        return self.author_id | self.submitted_by_id | self.create_uid

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_submit(self):
        self.filtered(lambda d: d.state != "draft")._refuse(
            self.env._(
                "Only draft documents can be submitted: %(names)s is not a draft."
            )
        )
        self._system_write(
            {
                "state": "submitted",
                "submitted_by_id": self.env.user.id,
                "submitted_date": fields.Datetime.now(),
            }
        )

    def action_sign_off(self):
        if not self.env.user.has_group("slm_catalogue.group_slm_manager"):
            raise AccessError(
                self.env._(
                    "Only a Service Level Manager can sign off a design document."
                )
            )
        for document in self:
            if document.state != "submitted":
                raise UserError(
                    self.env._(
                        "%(doc)s has not been submitted: a design document is "
                        "signed off only after its author submits it.",
                        doc=document.display_name,
                    )
                )
            if self.env.user in document._authors():
                raise UserError(
                    self.env._(
                        "You wrote or submitted %(doc)s yourself: another Service "
                        "Level Manager must sign it off.",
                        doc=document.display_name,
                    )
                )
        self._system_write(
            {
                "state": "signed_off",
                "signed_off_by_id": self.env.user.id,
                "signed_off_date": fields.Datetime.now(),
            }
        )

    def action_reset_to_draft(self):
        if self.filtered(lambda d: d.state == "signed_off"):
            raise UserError(
                self.env._(
                    "A signed-off design document stays as signed. Create a new "
                    "version of it to change the design."
                )
            )
        self._system_write(
            {"state": "draft", "submitted_by_id": False, "submitted_date": False}
        )

    def action_new_version(self):
        self.ensure_one()
        last = max(self.service_id.design_ids.mapped("version_number"))
        new = self.copy({"version_number": last + 1, "author_id": self.env.user.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }
