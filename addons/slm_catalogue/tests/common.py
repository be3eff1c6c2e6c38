# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from contextlib import contextmanager

from odoo.exceptions import AccessError
from odoo.tests.common import TransactionCase, new_test_user
from odoo.tools.pdf import PdfFileReader


class SlmTestMixin:
    """Assertions shared by the tests of the four addons."""

    @contextmanager
    def assertRaisesText(self, exception, text):
        """assertRaises (inside Odoo's savepoint, so that what the failed
        operation wrote is rolled back and a test can check that nothing was
        written) that also checks that the message contains ``text``."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))


class _Allowed(Exception):
    """Raised to roll back an operation that access rights allowed."""


class AccessCheckMixin:
    """``_can``: may a user do an operation? Used by the suite's access tests."""

    def _can(self, user, operation, records_or_model, vals=None):
        """Run one operation as ``user``; True when allowed, False on AccessError.

        Either way it is rolled back, so that checks do not affect each other.
        """
        target = records_or_model.with_user(user)
        try:
            with self.env.cr.savepoint():
                if operation == "read":
                    target.read(["display_name"])
                elif operation == "create":
                    target.create(vals)
                elif operation == "write":
                    target.write(vals or {"name": "renamed"})
                elif operation == "unlink":
                    target.unlink()
                target.env.flush_all()
                raise _Allowed()
        except _Allowed:
            return True
        except AccessError:
            return False
        finally:
            self.env.invalidate_all()


class SlmCatalogueCase(SlmTestMixin, TransactionCase):
    """Users of every SLM role, a small catalogue and helpdesk links of its own.

    Tests build their own data so that they pass with and without demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.user_reader = cls._user("slm_reader", "user")
        cls.user_analyst = cls._user("slm_analyst", "analyst")
        cls.owner = cls._user("slm_owner", "service_owner")
        cls.owner_2 = cls._user("slm_owner2", "service_owner")
        cls.manager = cls._user("slm_manager", "manager")
        cls.manager_2 = cls._user("slm_manager2", "manager")
        cls.agent = new_test_user(
            cls.env,
            "hd_agent",
            "helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )
        cls.Service = cls.env["slm.service"]
        cls.category_root = cls.env["slm.service.category"].create({"name": "Root"})
        cls.category_child = cls.env["slm.service.category"].create(
            {"name": "Child", "parent_id": cls.category_root.id}
        )
        # Helpdesk side: a category tree and teams of our own.
        HdCategory = cls.env["helpdesk.ticket.category"]
        cls.hd_hardware = HdCategory.create({"name": "T Hardware"})
        cls.hd_laptops = HdCategory.create(
            {"name": "T Laptops", "parent_id": cls.hd_hardware.id}
        )
        cls.hd_software = HdCategory.create({"name": "T Software"})
        cls.hd_unmapped = HdCategory.create({"name": "T Unmapped"})
        HdTeam = cls.env["helpdesk.ticket.team"]
        cls.team_workplace = HdTeam.create({"name": "T Workplace"})
        cls.team_apps = HdTeam.create({"name": "T Applications"})
        cls.team_network = HdTeam.create({"name": "T Network"})
        # Tickets get this team unless a test says otherwise, so that the
        # creating user's own teams (demo data) never decide their service.
        cls.team_unmapped = HdTeam.create({"name": "T Unmapped"})
        cls.partner = cls.env["res.partner"].create({"name": "Customer Ltd"})

        cls.svc_network = cls.Service.create(
            {
                "code": "TNET",
                "name": "T Network",
                "owner_id": cls.owner_2.id,
                "service_type": "supporting",
                "state": "live",
                "helpdesk_team_ids": [(6, 0, cls.team_network.ids)],
            }
        )
        cls.svc_laptop = cls.Service.create(
            {
                "code": "TLAPTOP",
                "name": "T Laptops",
                "owner_id": cls.owner.id,
                "state": "live",
                "category_id": cls.category_child.id,
                "helpdesk_category_ids": [(6, 0, cls.hd_hardware.ids)],
                "helpdesk_team_ids": [(6, 0, cls.team_workplace.ids)],
            }
        )
        cls.svc_office = cls.Service.create(
            {
                "code": "TOFFICE",
                "name": "T Office Suite",
                "owner_id": cls.owner.id,
                "state": "live",
                "helpdesk_category_ids": [(6, 0, cls.hd_software.ids)],
                "helpdesk_team_ids": [(6, 0, cls.team_workplace.ids)],
            }
        )
        cls.svc_erp = cls.Service.create(
            {
                "code": "TERP",
                "name": "T ERP",
                "owner_id": cls.owner.id,
                "state": "live",
                "helpdesk_category_ids": [(6, 0, cls.hd_software.ids)],
                "helpdesk_team_ids": [(6, 0, cls.team_apps.ids)],
                "dependency_ids": [(6, 0, cls.svc_network.ids)],
            }
        )

    @classmethod
    def _user(cls, login, role):
        return new_test_user(
            cls.env,
            login,
            f"slm_catalogue.group_slm_{role}",
            context={"no_reset_password": True},
        )

    @classmethod
    def _ticket(cls, **vals):
        values = {
            "name": "Help",
            "description": "<p>Help</p>",
            "team_id": cls.team_unmapped.id,
            "user_id": False,
        }
        values.update(vals)
        return cls.env["helpdesk.ticket"].create(values)


def pdf_text(env, report, ids):
    """The text of ``report`` rendered to PDF by wkhtmltopdf (not the HTML
    tests get by default), its whitespace collapsed (PDF rules). Call it from
    an HttpCase: wkhtmltopdf then loads the layout's styles and web fonts
    from the test server, as in real use."""
    pdf, report_format = (
        env["ir.actions.report"]
        .with_context(force_report_rendering=True)
        ._render_qweb_pdf(report, ids)
    )
    assert report_format == "pdf" and pdf.startswith(b"%PDF"), report_format
    reader = PdfFileReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
