# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The agreement as a document: printed, sent by e-mail with a link to the
customer portal, and signed there by the customer (document rules in
readme/USAGE.md, "The agreement document")."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.records import composer_action
from .slm_agreement import FROZEN_FIELDS

# Written by the online signature only (guard rule 1): the portal's sign
# route calls ``_sign_online`` as superuser after checking the signer.
SIGNATURE_FIELDS = {"customer_signature", "customer_signed_name"}
# The state in which an agreement is with the customer for signature.
SIGNABLE_STATES = ("negotiation",)
REPORT = "slm_agreements.action_report_agreement"


def _float_to_time(hours):
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class SlmAgreement(models.Model):
    _name = "slm.agreement"
    _inherit = ["slm.agreement", "portal.mixin"]

    customer_signature = fields.Image(
        string="Customer's Signature",
        copy=False,
        attachment=True,
        max_width=1024,
        max_height=1024,
        readonly=True,
        help="Drawn by the customer's contact when signing in the customer portal.",
    )
    customer_signed_name = fields.Char(
        string="Name Signed",
        copy=False,
        readonly=True,
        help="The name the customer's contact typed when signing online.",
    )

    clock_ids = fields.One2many(
        "slm.clock",
        "agreement_id",
        string="Clocks",
        readonly=True,
        help="The clocks of this agreement's targets on tickets (which "
        "customers' tickets it covers).",
    )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for agreement in self:
            agreement.access_url = f"/my/slm/agreements/{agreement.id}"
        return result

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"{self.reference or ''} {self.name}".strip()

    def _document_service_hours(self, targets):
        """The service hours of the document: one row per calendar of the
        targets (or 24x7), with its time zone and its days' hours."""
        self.ensure_one()
        _ = self.env._
        rows = []
        if targets.filtered("around_the_clock"):
            rows.append(
                {"name": _("24x7"), "tz": _("any"), "days": [_("Every day, all day")]}
            )
        days = dict(
            self.env["resource.calendar.attendance"]
            ._fields["dayofweek"]
            ._description_selection(self.env)
        )
        for calendar in targets.filtered(lambda t: not t.around_the_clock).calendar_id:
            hours = {}
            for attendance in calendar.attendance_ids.filtered(
                lambda a: a.day_period != "lunch" and not a.display_type
            ).sorted(lambda a: (int(a.dayofweek), a.hour_from)):
                hours.setdefault(attendance.dayofweek, []).append(
                    f"{_float_to_time(attendance.hour_from)}-"
                    f"{_float_to_time(attendance.hour_to)}"
                )
            tz = calendar.tz or "UTC"
            if targets.filtered(
                lambda t, c=calendar: t.calendar_id == c and t.customer_tz
            ):
                # Customer calendar rule 1.
                tz = _("the customer's (else %(tz)s)", tz=tz)
            rows.append(
                {
                    "name": calendar.name,
                    "tz": tz,
                    "days": [
                        f"{days[day]}: {', '.join(ranges)}"
                        for day, ranges in hours.items()
                    ],
                }
            )
        return rows

    @api.model
    def _portal_customer_domain(self, customer):
        """The agreements of ``customer`` in the portal: its own, and those
        for every customer that cover its tickets (a clock on one of them),
        e.g. the corporate SLA (portal rule 2)."""
        shared = (
            self.env["slm.clock"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "=", customer.id),
                    ("agreement_id.partner_id", "=", False),
                ],
                ["agreement_id"],
            )
        )
        return [
            "|",
            ("partner_id", "=", customer.id),
            ("id", "in", [agreement.id for (agreement,) in shared]),
        ]

    # ------------------------------------------------------------------
    # Guards (document rule 3)
    # ------------------------------------------------------------------

    def _workflow_fields(self):
        return super()._workflow_fields() | SIGNATURE_FIELDS

    def _check_write_allowed(self, vals):
        result = super()._check_write_allowed(vals)
        frozen = FROZEN_FIELDS.intersection(vals)
        signed = self.filtered("customer_signature")
        if frozen and signed:
            raise UserError(
                self.env._(
                    "%(agreements)s was signed by the customer online: its terms "
                    "(scope, dates, sign-off and targets) are what the customer "
                    "signed and cannot be changed. Click Back to Draft to "
                    "discard the signature (logged), then change it and send it "
                    "again for signature.",
                    agreements=", ".join(signed.mapped("display_name")),
                )
            )
        return result

    def _check_targets_editable(self):
        super()._check_targets_editable()
        if self.env.su:
            return
        signed = self.filtered("customer_signature")
        if signed:
            raise UserError(
                self.env._(
                    "%(agreements)s was signed by the customer online: its "
                    "targets cannot be changed. Click Back to Draft to discard "
                    "the signature (logged) first.",
                    agreements=", ".join(signed.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Signature in the portal (document rules 2 and 3)
    # ------------------------------------------------------------------

    def _can_sign_online(self):
        """Whether the customer may sign this agreement in the portal now."""
        self.ensure_one()
        return bool(
            self.kind == "sla"
            and self.partner_id
            and self.state in SIGNABLE_STATES
            and not self.customer_signature
            and not self.customer_signed_by_id
        )

    def _sign_online(self, partner, name, signature):
        """Record the customer's sign-off signed in the portal by ``partner``.

        Called by the portal route as superuser, after it checked that the
        visitor may see the agreement; the signer is checked here again, with
        the same rules as a sign-off filled in by hand (who signs for the
        customer, when). Raises UserError when it may not be signed.
        """
        self.ensure_one()
        if not self._can_sign_online():
            raise UserError(
                self.env._(
                    "%(agreement)s cannot be signed online: it is already "
                    "signed, or it is not waiting for your signature.",
                    agreement=self.display_name,
                )
            )
        if not name or not name.strip() or not signature:
            raise UserError(
                self.env._("Please type your name and draw your signature.")
            )
        # The sign-off's own rules (lifecycle: signed by the customer or one
        # of its contacts, not in the future); nothing stays written if not.
        with self.env.cr.savepoint():
            self.sudo().write(
                {
                    "customer_signed_by_id": partner.id,
                    "customer_signed_date": fields.Date.context_today(self),
                    "customer_signed_name": name.strip(),
                    "customer_signature": signature,
                }
            )
            problems = self._problems_of_sign_off()
            if problems:
                raise UserError("\n".join(problems))
        pdf = self.env["ir.actions.report"].sudo()._render_qweb_pdf(REPORT, self.ids)[0]
        self.message_post(
            body=Markup("%s") % self.env._("Signed online by %(name)s.", name=name),
            attachments=[(f"{self._get_report_base_filename()}.pdf", pdf)],
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_to_draft(self):
        # Back to draft from negotiation discards an online signature: the
        # terms may then change, so the customer signs them again.
        signed = self.filtered("customer_signature")
        result = super().action_to_draft()
        if signed:
            signed._system_write(
                {
                    "customer_signature": False,
                    "customer_signed_name": False,
                    "customer_signed_by_id": False,
                    "customer_signed_date": False,
                }
            )
            for agreement in signed:
                agreement.message_post(
                    body=self.env._(
                        "The customer's online signature was discarded (back to "
                        "draft): the agreement must be signed again."
                    )
                )
        return result

    # ------------------------------------------------------------------
    # Send by e-mail
    # ------------------------------------------------------------------

    def action_send_agreement(self):
        """The e-mail composer with the agreement's PDF and portal link."""
        self.ensure_one()
        self.check_access("read")
        template = self.env.ref(
            "slm_agreements.mail_template_agreement", raise_if_not_found=False
        )
        return composer_action(
            self,
            template,
            "mail.mail_notification_layout_with_responsible_signature",
            force_email=True,
        )
