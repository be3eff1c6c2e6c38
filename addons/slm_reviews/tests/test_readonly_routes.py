# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which requests a read replica may serve (portal rule 4, clock job rule 5
of slm_agreements): the portal pages that only read are read-only routes,
signing is not; the overview is a read-only method. That they are served by a
replica is shown on a real one by ``setup/replica.sh check DB``."""

from odoo import http
from odoo.tests import TransactionCase, tagged

READONLY = {
    "/my/slm/agreements",
    "/my/slm/agreements/page/<int:page>",
    "/my/slm/agreements/<int:agreement_id>",
    "/my/slm/statements",
    "/my/slm/statements/page/<int:page>",
    "/my/slm/statements/<int:statement_id>",
    "/my/slm/reviews",
    "/my/slm/reviews/page/<int:page>",
    "/my/slm/reviews/<int:review_id>",
    "/my/slm/plans",
    "/my/slm/plans/page/<int:page>",
    "/my/slm/plans/<int:plan_id>",
}
READ_WRITE = {"/my/slm/agreements/<int:agreement_id>/accept"}


@tagged("post_install", "-at_install")
class TestReadonlyRoutes(TransactionCase):
    def test_portal_routes_readonly_except_signing(self):
        # The rules ir.http.routing_map is built from (that method needs the
        # thread of an HTTP request, which pytest-odoo does not run in).
        modules = sorted(self.env.registry._init_modules)
        routing = {
            url: endpoint.routing["readonly"]
            for url, endpoint in http._generate_routing_rules(modules, False)
            if url.startswith("/my/slm/")
        }
        self.assertEqual(set(routing), READONLY | READ_WRITE)
        for url in READONLY:
            self.assertIs(routing[url], True, url)
        for url in READ_WRITE:
            self.assertIs(routing[url], False, url)

    def test_overview_is_a_readonly_method(self):
        method = type(self.env["slm.overview"]).get_overview
        self.assertTrue(getattr(method, "_readonly", False))
