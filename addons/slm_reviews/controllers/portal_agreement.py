# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer portal, the agreement as a document (document rules in
slm_agreements/readme/USAGE.md): the agreement's PDF, the agreements a
customer is to sign (under negotiation), the online signature, and the
agreements for every customer that cover the customer's tickets (corporate
and service-based SLAs), shown with the customer's own figures only.

Kept apart from portal.py (lists, statements, minutes, plans): this class
extends that controller, and its agreement page replaces the one there.
"""

import binascii

from dateutil.relativedelta import relativedelta
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools.date_utils import start_of

from .portal import ATTAINMENT_MONTHS, SlmCustomerPortal, read_route

AGREEMENT_REPORT = "slm_agreements.action_report_agreement"
# Shown to the customer: in force or ended, and under negotiation (to sign).
AGREEMENT_PORTAL_STATES = ("negotiation", "agreed", "expired", "superseded")


class SlmAgreementPortal(SlmCustomerPortal):
    # ------------------------------------------------------------------
    # Which agreements a customer sees (portal rules 1 and 2)
    # ------------------------------------------------------------------

    def _slm_published_domain(self, model_name):
        if model_name == "slm.agreement":
            return [("kind", "=", "sla"), ("state", "in", AGREEMENT_PORTAL_STATES)]
        return super()._slm_published_domain(model_name)

    def _slm_owner_domain(self, model_name):
        if model_name == "slm.agreement":
            return request.env["slm.agreement"]._portal_customer_domain(
                self._slm_customer()
            )
        return super()._slm_owner_domain(model_name)

    # ------------------------------------------------------------------
    # The agreement's page, its PDF, the signature
    # ------------------------------------------------------------------

    @read_route("/my/slm/agreements/<int:agreement_id>", auth="public")
    def portal_my_slm_agreement(
        self, agreement_id, access_token=None, report_type=None, download=False, **kw
    ):
        return self._slm_document_page(
            "slm.agreement",
            "agreement",
            agreement_id,
            access_token,
            AGREEMENT_REPORT,
            report_type,
            download,
            extra_values=lambda agreement_sudo: self._slm_agreement_values(
                agreement_sudo, kw.get("message")
            ),
            query=kw,
        )

    def _slm_agreement_values(self, agreement_sudo, sign_message):
        """What the agreement's page shows besides the document: its targets
        (to sign) or its attainment, and the signature."""
        values = {
            "shared_agreement": not agreement_sudo.partner_id,
            "can_sign": self._slm_may_sign(agreement_sudo),
            "sign_message": sign_message,
        }
        if agreement_sudo.state == "negotiation":
            values.update(
                {
                    "targets": agreement_sudo._effective_targets().sorted(
                        lambda t: (t.agreement_id != agreement_sudo, t.sequence, t.id)
                    ),
                    "attainment_months": [],
                    "attainment_rows": [],
                    "show_provisional": False,
                }
            )
        elif values["shared_agreement"]:
            values.update(
                self._slm_customer_attainment_values(
                    agreement_sudo, self._slm_customer()
                )
            )
        else:
            values.update(self._slm_attainment_values(agreement_sudo))
        return values

    def _slm_may_sign(self, agreement_sudo):
        """The current user signs for the agreement's customer: one of its
        contacts, logged in (document rule 2)."""
        user = request.env.user
        return bool(
            not user._is_public()
            and agreement_sudo.partner_id
            and user.partner_id.commercial_partner_id == agreement_sudo.partner_id
            and agreement_sudo._can_sign_online()
        )

    @http.route(
        ["/my/slm/agreements/<int:agreement_id>/accept"],
        type="json",
        auth="user",
        website=True,
        readonly=False,  # signs: on the primary (portal rule 4)
    )
    def portal_my_slm_agreement_accept(
        self, agreement_id, access_token=None, name=None, signature=None
    ):
        """Sign the agreement for the customer (portal.signature_form).

        Only a contact of the agreement's own customer gets here: anyone
        else, token or not, gets the same 404 as for an agreement that does
        not exist (portal rule "Not yours").
        """
        agreement_sudo = self._slm_check_access("slm.agreement", agreement_id)
        partner = request.env.user.partner_id
        if partner.commercial_partner_id != agreement_sudo.partner_id:
            raise NotFound()
        try:
            agreement_sudo._sign_online(partner, name, signature)
        except UserError as error:
            request.env.cr.rollback()
            return {"error": str(error)}
        except (TypeError, ValueError, binascii.Error):
            request.env.cr.rollback()
            return {"error": request.env._("Invalid signature data.")}
        return {
            "force_refresh": True,
            "redirect_url": agreement_sudo.get_portal_url(
                query_string="&message=sign_ok"
            ),
        }

    # ------------------------------------------------------------------
    # Figures of an agreement for every customer: this customer's only
    # ------------------------------------------------------------------

    def _slm_customer_attainment_values(self, agreement_sudo, customer):
        """The attainment table of a corporate or service-based SLA, counted
        over the customer's own tickets (portal rule 2): the settled clocks of
        the attainment report, per target and month (period rule), never the
        agreement's totals over every customer."""
        env = agreement_sudo.env
        today = agreement_sudo._period_today()
        this_month = start_of(today, "month")
        first = this_month - relativedelta(months=ATTAINMENT_MONTHS)
        targets = agreement_sudo._effective_targets().sorted(
            lambda t: (t.agreement_id != agreement_sudo, t.sequence, t.id)
        )
        groups = env["slm.attainment.report"]._read_group(
            [
                ("agreement_id", "=", agreement_sudo.id),
                ("partner_id", "=", customer.id),
                ("period_date", ">=", first),
            ],
            ["target_id", "period_date:month"],
            ["measured:sum", "met:sum", "breached:sum", "excused:sum"],
        )
        months = sorted({month for _target, month, *_counts in groups})
        cells = {}
        for target, month, measured, met, breached, excused in groups:
            attainment = 100.0 * met / measured if measured else None
            cells[(target.id, month)] = {
                "measured": measured,
                "met": met,
                "breached": breached,
                "excused": excused,
                "attainment": attainment,
                "achieved": attainment is not None
                and attainment >= target.objective_pct,
                "source": "statement",
            }
        past = [month for month in months if month < this_month]
        rows = [
            {
                "name": target.name,
                "metric": target.metric,
                "objective": target.objective_pct,
                "cells": [cells.get((target.id, month)) for month in past],
                "provisional": cells.get((target.id, this_month)),
            }
            for target in targets
            if target.metric != "availability"
        ]
        return {
            "targets": targets,
            "attainment_months": [
                {"label": self._slm_month_label(month), "statement": False}
                for month in past
            ],
            "attainment_rows": rows,
            "show_provisional": agreement_sudo.state == "agreed",
            "provisional_label": self._slm_month_label(this_month),
            "months_tz": agreement_sudo.tz or "UTC",
        }
