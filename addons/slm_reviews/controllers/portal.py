# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer portal: a customer's contacts see, under /my, the customer's
agreements with the attainment per month, the issued monthly statements, the
minutes of its service reviews once sent, and its improvement plans; nothing
of any other customer.

Two locks on every page: the record rules of ``base.group_portal``
(security/slm_reviews_portal_security.xml), checked by
``_document_check_access``, and an explicit check here that the record is
published (issued, sent...) and belongs to the user's customer. Records are
rendered with sudo only after both checks.
"""

from urllib.parse import quote, urlencode

from dateutil.relativedelta import relativedelta
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import consteq, format_date
from odoo.tools.date_utils import start_of

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# What a customer may be shown at all.
AGREEMENT_STATES = ("agreed", "expired", "superseded")
REVIEW_STATES = ("minutes_sent", "closed")
PLAN_STATES = ("active", "done")
# Months of attainment shown on an agreement's page (before the current one).
ATTAINMENT_MONTHS = 12
# Report actions of the other parts of the addon: used when they exist.
STATEMENT_REPORT = "slm_reviews.action_report_service_statement"
MINUTES_REPORT = "slm_reviews.action_report_review_minutes"
# The arguments of core's _get_page_view_values, never taken from a request.
PAGE_VIEW_ARGUMENTS = (
    "document",
    "access_token",
    "values",
    "session_history",
    "no_breadcrumbs",
)
# Home page counters, per model.
COUNTERS = {
    "slm_agreement_count": "slm.agreement",
    "slm_statement_count": "slm.service.statement",
    "slm_review_count": "slm.review",
    "slm_plan_count": "slm.improvement.plan",
}


def read_route(*paths, auth="user"):
    """A portal page that only reads (a list, a document, its report): a
    read-only route, served by a replica where there is one (portal rule 4)."""
    return http.route(list(paths), type="http", auth=auth, website=True, readonly=True)


class SlmCustomerPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Who may see what
    # ------------------------------------------------------------------

    def _slm_customer(self):
        """The customer of the current user: the commercial entity of its
        contact (a company, or the person itself)."""
        return request.env.user.partner_id.commercial_partner_id

    def _slm_published_domain(self, model_name):
        """What may be shown to a customer at all, whoever the customer."""
        return {
            "slm.agreement": [("kind", "=", "sla"), ("state", "in", AGREEMENT_STATES)],
            "slm.service.statement": [
                ("agreement_id.kind", "=", "sla"),
                ("state", "=", "issued"),
            ],
            "slm.review": [("kind", "=", "service"), ("state", "in", REVIEW_STATES)],
            "slm.improvement.plan": [("state", "in", PLAN_STATES)],
        }[model_name]

    def _slm_owner_domain(self, model_name):
        """What belongs to the current user's customer."""
        customer_id = self._slm_customer().id
        if model_name in ("slm.agreement", "slm.service.statement"):
            # The customer of an agreement is always a commercial entity.
            return [("partner_id", "=", customer_id)]
        return [("partner_id.commercial_partner_id", "=", customer_id)]

    def _slm_domain(self, model_name):
        return self._slm_published_domain(model_name) + self._slm_owner_domain(
            model_name
        )

    def _slm_check_access(self, model_name, record_id, access_token=None):
        """The record, sudoed, when the current user may see it on the portal.

        404 when it does not exist, is not published (a draft statement,
        unsent minutes: they do not exist for the customer), or is another
        customer's without a valid access token of the record (a link sent by
        e-mail): the same answer, so that no customer learns which ids exist
        (portal rule "Not yours").
        """
        try:
            record_sudo = self._document_check_access(
                model_name, record_id, access_token=access_token
            )
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            raise NotFound() from error
        if not record_sudo.filtered_domain(self._slm_published_domain(model_name)):
            raise NotFound()
        if not self._slm_valid_token(
            record_sudo, access_token
        ) and not record_sudo.filtered_domain(self._slm_owner_domain(model_name)):
            # Record rules let internal users read everything: the portal
            # still shows them only their own customer's documents.
            raise NotFound()
        return record_sudo

    def _slm_login_redirect(self, access_token):
        """Send an anonymous visitor without a token to the login page."""
        if request.env.user._is_public() and not access_token:
            path = request.httprequest.full_path.rstrip("?")
            return request.redirect(f"/web/login?redirect={quote(path)}")
        return None

    @staticmethod
    def _slm_valid_token(record_sudo, access_token):
        return bool(
            access_token
            and "access_token" in record_sudo._fields
            and record_sudo.access_token
            and consteq(record_sudo.access_token, access_token)
        )

    # ------------------------------------------------------------------
    # Home
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        for key, model_name in COUNTERS.items():
            if key not in counters:
                continue
            Model = request.env[model_name]
            values[key] = (
                Model.search_count(self._slm_domain(model_name))
                if Model.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Lists
    # ------------------------------------------------------------------

    def _slm_render_list(
        self, model_name, key, page, sortings, sortby, filters=None, filterby=None
    ):
        """The list page of the customer's documents (``key``: agreements,
        statements...): its template, URL and page name follow from ``key``."""
        url = f"/my/slm/{key}"
        Model = request.env[model_name]
        if not Model.has_access("read"):
            return request.redirect("/my")
        sortby = sortby if sortby in sortings else next(iter(sortings))
        domain = self._slm_domain(model_name)
        if filters:
            filterby = filterby if filterby in filters else next(iter(filters))
            domain += filters[filterby]["domain"]
        count = Model.search_count(domain)
        pager = portal_pager(
            url=url,
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        records = Model.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                key: records.sudo(),
                "page_name": f"slm_{key}",
                "pager": pager,
                "default_url": url,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters or {},
                "filterby": filterby,
            }
        )
        return request.render(f"slm_reviews.portal_my_slm_{key}", values)

    @read_route("/my/slm/agreements", "/my/slm/agreements/page/<int:page>")
    def portal_my_slm_agreements(self, page=1, sortby=None, filterby=None, **kw):
        _ = request.env._
        sortings = {
            "date": {"label": _("Newest"), "order": "date_start desc, id desc"},
            "name": {"label": _("Name"), "order": "name, id"},
            "reference": {"label": _("Reference"), "order": "reference, revision"},
        }
        filters = {
            "all": {"label": _("All"), "domain": []},
            "in_force": {"label": _("In force"), "domain": [("state", "=", "agreed")]},
            "ended": {
                "label": _("Ended"),
                "domain": [("state", "in", ("expired", "superseded"))],
            },
        }
        return self._slm_render_list(
            "slm.agreement", "agreements", page, sortings, sortby, filters, filterby
        )

    @read_route("/my/slm/statements", "/my/slm/statements/page/<int:page>")
    def portal_my_slm_statements(self, page=1, sortby=None, filterby=None, **kw):
        _ = request.env._
        sortings = {
            "month": {
                "label": _("Newest"),
                "order": "period_start desc, agreement_id, id desc",
            },
            "agreement": {
                "label": _("Agreement"),
                "order": "agreement_id, period_start desc, id desc",
            },
        }
        filters = {"all": {"label": _("All agreements"), "domain": []}}
        Agreement = request.env["slm.agreement"]
        if Agreement.has_access("read"):
            for agreement in Agreement.search(self._slm_domain("slm.agreement")):
                filters[str(agreement.id)] = {
                    "label": agreement.sudo().display_name,
                    "domain": [("agreement_id", "=", agreement.id)],
                }
        return self._slm_render_list(
            "slm.service.statement",
            "statements",
            page,
            sortings,
            sortby,
            filters,
            filterby,
        )

    @read_route("/my/slm/reviews", "/my/slm/reviews/page/<int:page>")
    def portal_my_slm_reviews(self, page=1, sortby=None, **kw):
        _ = request.env._
        sortings = {
            "date": {
                "label": _("Newest"),
                "order": "period_end desc, date desc, id desc",
            },
            "name": {"label": _("Name"), "order": "name, id"},
        }
        return self._slm_render_list("slm.review", "reviews", page, sortings, sortby)

    @read_route("/my/slm/plans", "/my/slm/plans/page/<int:page>")
    def portal_my_slm_plans(self, page=1, sortby=None, filterby=None, **kw):
        _ = request.env._
        sortings = {
            "date": {"label": _("Newest"), "order": "id desc"},
            "name": {"label": _("Name"), "order": "name, id"},
        }
        filters = {
            "all": {"label": _("All"), "domain": []},
            "active": {"label": _("In progress"), "domain": [("state", "=", "active")]},
            "done": {"label": _("Done"), "domain": [("state", "=", "done")]},
        }
        return self._slm_render_list(
            "slm.improvement.plan", "plans", page, sortings, sortby, filters, filterby
        )

    # ------------------------------------------------------------------
    # Documents
    # ------------------------------------------------------------------

    def _slm_page_values(self, record_sudo, access_token, page_name, query=None):
        values = self._prepare_portal_layout_values()
        values["page_name"] = page_name
        # The request's parameters (core reads error, pid, hash...), except
        # those named like the arguments of _get_page_view_values.
        query = {
            name: value
            for name, value in (query or {}).items()
            if name not in PAGE_VIEW_ARGUMENTS
        }
        # No session history: no previous/next record pager.
        return self._get_page_view_values(
            record_sudo, access_token, values, "slm_portal_no_history", False, **query
        )

    @staticmethod
    def _slm_pdf_url(url, access_token):
        params = {"report_type": "pdf", "download": "true"}
        if access_token:
            params["access_token"] = access_token
        return f"{url}?{urlencode(params)}"

    def _slm_report(self, record_sudo, report_ref, report_type, download):
        """The PDF (or HTML) of the record when its report exists, else 404
        (core's ``_show_report``; the file is named by the model's
        ``_get_report_base_filename``)."""
        if report_type not in ("html", "pdf") or not request.env.ref(
            report_ref, raise_if_not_found=False
        ):
            raise NotFound()
        return self._show_report(record_sudo, report_type, report_ref, download)

    def _slm_document_page(
        self,
        model_name,
        key,
        record_id,
        access_token=None,
        report_ref=None,
        report_type=None,
        download=False,
        extra_values=None,
        query=None,
    ):
        """The portal page of one document (``key``: agreement, statement...),
        or its report (``report_type``), for whoever may see it. ``query``:
        the other parameters of the request, apart so that none of them can
        take the place of an argument here."""
        redirect = self._slm_login_redirect(access_token)
        if redirect:
            return redirect
        record_sudo = self._slm_check_access(model_name, record_id, access_token)
        if report_type and report_ref:
            return self._slm_report(record_sudo, report_ref, report_type, download)
        values = self._slm_page_values(record_sudo, access_token, f"slm_{key}", query)
        values[key] = record_sudo
        if report_ref:
            values["has_pdf"] = bool(
                request.env.ref(report_ref, raise_if_not_found=False)
            )
            values["pdf_url"] = self._slm_pdf_url(
                f"/my/slm/{key}s/{record_sudo.id}", access_token
            )
        if extra_values:
            values.update(extra_values(record_sudo))
        return request.render(f"slm_reviews.portal_my_slm_{key}", values)

    @read_route("/my/slm/statements/<int:statement_id>", auth="public")
    def portal_my_slm_statement(
        self, statement_id, access_token=None, report_type=None, download=False, **kw
    ):
        return self._slm_document_page(
            "slm.service.statement",
            "statement",
            statement_id,
            access_token,
            STATEMENT_REPORT,
            report_type,
            download,
            extra_values=lambda statement: {
                "statement_month": self._slm_month_label(statement.period_start)
            },
            query=kw,
        )

    @read_route("/my/slm/reviews/<int:review_id>", auth="public")
    def portal_my_slm_review(
        self, review_id, access_token=None, report_type=None, download=False, **kw
    ):
        return self._slm_document_page(
            "slm.review",
            "review",
            review_id,
            access_token,
            MINUTES_REPORT,
            report_type,
            download,
            query=kw,
        )

    @read_route("/my/slm/plans/<int:plan_id>", auth="public")
    def portal_my_slm_plan(self, plan_id, access_token=None, **kw):
        return self._slm_document_page(
            "slm.improvement.plan", "plan", plan_id, access_token, query=kw
        )

    # ------------------------------------------------------------------
    # Attainment per month of an agreement
    # ------------------------------------------------------------------

    def _slm_month_label(self, month):
        return format_date(request.env, month, date_format="MMM y")

    def _slm_attainment_values(self, agreement_sudo):
        """The attainment table of an agreement's page.

        Past months (the last twelve): the figures of the issued monthly
        statements only, as they were sent (frozen); a month without an issued
        statement has no column, a target without a line in a statement shows
        a dash. The current month, while the agreement is in force: the live
        figures, labelled provisional, computed as its statement will be.
        """
        env = agreement_sudo.env
        # The agreement's months (period rule), not the visitor's.
        today = agreement_sudo._period_today()
        this_month = start_of(today, "month")
        Statement = env["slm.service.statement"]
        statements = Statement.search(
            [
                ("agreement_id", "=", agreement_sudo.id),
                ("state", "=", "issued"),
                (
                    "period_start",
                    ">=",
                    this_month - relativedelta(months=ATTAINMENT_MONTHS),
                ),
                ("period_start", "<", this_month),
            ],
            order="period_start",
        )
        months = statements.mapped("period_start")
        show_provisional = (
            agreement_sudo.state == "agreed"
            and agreement_sudo.date_start <= today
            and (not agreement_sudo.date_end or agreement_sudo.date_end >= this_month)
        )
        figures = Statement._figures_for(
            agreement_sudo, months + ([this_month] if show_provisional else [])
        )
        targets = agreement_sudo._effective_targets().sorted(
            lambda t: (t.agreement_id != agreement_sudo, t.sequence, t.id)
        )
        # A target may have left the agreement since a statement was issued:
        # its line still shows, under the name it had then.
        rows = {
            target.id: {
                "name": target.name,
                "metric": target.metric,
                "objective": target.objective_pct,
            }
            for target in targets
        }
        for line in statements.line_ids:
            rows.setdefault(
                line.target_id.id,
                {
                    "name": line.target_name or line.target_id.name,
                    "metric": line.metric,
                    "objective": line.objective_pct,
                },
            )
        for target_id, row in rows.items():
            # Only what the issued statements say: never live figures for a
            # past month.
            row["cells"] = [
                cell if cell and cell.get("source") == "statement" else None
                for cell in (figures.get((target_id, month)) for month in months)
            ]
            row["provisional"] = (
                figures.get((target_id, this_month)) if show_provisional else None
            )
        return {
            "targets": targets,
            "attainment_months": [
                {"label": self._slm_month_label(month), "statement": statement}
                for month, statement in zip(months, statements, strict=True)
            ],
            "attainment_rows": list(rows.values()),
            "show_provisional": show_provisional,
            "provisional_label": self._slm_month_label(this_month),
            "months_tz": agreement_sudo.tz or "UTC",
        }
