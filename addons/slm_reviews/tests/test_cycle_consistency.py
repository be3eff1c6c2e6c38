# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One attainment truth for the cycle metrics (clock rules 12, 15, 17, 18;
the period rule): every cycle row is a result of its own, and the attainment
report, the statements, the portal and the review agenda/minutes count them
as ``slm.clock._attainment_counts`` does, under the metric's label.

One ticket, Monday 2 March 2026, every instant UTC, around the clock:
created 08:00; agent 09:00 (first reply); customer 10:00; agent 10:30;
customer 12:00; agent 14:00; closed 15:00; reopened 16:00; closed 17:00.

    next reply 1 h        10:00-10:30 met, 12:00-14:00 breached     1 / 2
    periodic update 2 h   09:00-10:30 met, 10:30-14:00 breached,
                          14:00-15:00 met, 16:00-17:00 met          3 / 4
    resolution 4 h,       08:00-15:00 breached, 16:00-17:00 met     1 / 2
    new cycle on reopen
"""

from datetime import date, datetime

from freezegun import freeze_time
from lxml import html

from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user

MARCH = date(2026, 3, 1)
EXPECTED = {
    "next_reply": (1, 1),
    "periodic_update": (3, 1),
    "resolution": (1, 1),
}
LABELS = {
    "next_reply": "Next Reply",
    "periodic_update": "Periodic Update",
    "resolution": "Resolution",
}


def h(hour, minute=0):
    return datetime(2026, 3, 2, hour, minute)


@tagged("post_install", "-at_install")
class TestCycleConsistency(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(
            context=dict(cls.env.context, mail_notrack=True, no_mail_to_attendees=True)
        )
        managers = (
            "slm_catalogue.group_slm_manager,helpdesk_mgmt.group_helpdesk_manager,"
            "base.group_user"
        )
        cls.manager = new_test_user(env, "t_cycle_manager", managers)
        cls.agent = new_test_user(
            env, "t_cycle_agent", "helpdesk_mgmt.group_helpdesk_user"
        )
        cls.service = env["slm.service"].create(
            {
                "code": "TCYC",
                "name": "T Cycle Service",
                "owner_id": cls.manager.id,
                "state": "live",
            }
        )
        cls.team = env["helpdesk.ticket.team"].create({"name": "T Cycle Desk"})
        Stage = env["helpdesk.ticket.stage"]
        cls.stage_new = Stage.create({"name": "T Cycle New", "sequence": 1})
        cls.stage_done = Stage.create(
            {"name": "T Cycle Done", "sequence": 9, "closed": True}
        )
        cls.customer = env["res.partner"].create(
            {"name": "T Cycle Customer", "is_company": True, "tz": "UTC"}
        )
        cls.contact = env["res.partner"].create(
            {
                "name": "T Cycle Contact",
                "parent_id": cls.customer.id,
                "email": "cycle@example.com",
            }
        )
        new_test_user(
            env,
            "t_cycle_portal",
            "base.group_portal",
            partner_id=cls.contact.id,
            password="t_cycle_portal",
        )

        def target(metric, hours, **values):
            return (
                0,
                0,
                dict(
                    name=f"T Cycle {LABELS[metric]}",
                    metric=metric,
                    threshold_hours=hours,
                    objective_pct=80,
                    warning_pct=50,
                    around_the_clock=True,
                    **values,
                ),
            )

        cls.agreement = env["slm.agreement"].create(
            {
                "name": "T Cycle SLA",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": cls.customer.id,
                "service_ids": [(6, 0, cls.service.ids)],
                "date_start": "2025-01-01",
                "provider_user_id": cls.manager.id,
                "target_ids": [
                    target("next_reply", 1),
                    target("periodic_update", 2),
                    target("resolution", 4, reopen_policy="new_cycle"),
                ],
            }
        )
        cls.agreement.write(
            {
                "customer_signed_by_id": cls.contact.id,
                "customer_signed_date": "2025-01-01",
            }
        )
        cls.agreement.action_agree()
        cls.targets = {t.metric: t for t in cls.agreement.target_ids}
        with freeze_time(h(8)):
            cls.ticket = env["helpdesk.ticket"].create(
                {
                    "name": "T Cycle ticket",
                    "description": "<p>Help</p>",
                    "partner_id": cls.contact.id,
                    "service_id": cls.service.id,
                    "team_id": cls.team.id,
                    "stage_id": cls.stage_new.id,
                    "user_id": False,
                }
            )
        for at, who in (
            (h(9), cls.agent),
            (h(10), cls.contact),
            (h(10, 30), cls.agent),
            (h(12), cls.contact),
            (h(14), cls.agent),
        ):
            with freeze_time(at):
                if who == cls.contact:
                    cls.ticket.message_post(
                        body="Any news?",
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                        author_id=who.id,
                    )
                else:
                    cls.ticket.with_user(who).message_post(
                        body="Answer",
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                    )
        for at, stage in (
            (h(15), cls.stage_done),
            (h(16), cls.stage_new),
            (h(17), cls.stage_done),
        ):
            with freeze_time(at):
                cls.ticket.write({"stage_id": stage.id})
        with freeze_time(datetime(2026, 4, 10)):
            env["slm.clock"]._cron_settle_due_clocks(now=datetime(2026, 4, 10))

    def _truth(self):
        counts = (
            self.env["slm.clock"]
            .sudo()
            ._attainment_counts(
                [("agreement_id", "=", self.agreement.id)],
                ["target_id", "period_date:month"],
            )
        )
        return {
            metric: counts[(target.id, MARCH)]
            for metric, target in self.targets.items()
        }

    def assertCounts(self, got, surface):
        """``got``: {metric: (met, breached)}, equal to the truth and to the
        hand-worked counts."""
        truth = {
            metric: (counts["met"], counts["breached"])
            for metric, counts in self._truth().items()
        }
        self.assertEqual(truth, EXPECTED, "truth")
        self.assertEqual(got, EXPECTED, surface)

    def test_one_result_per_cycle(self):
        clocks = self.ticket.slm_clock_ids
        for metric, (met, breached) in EXPECTED.items():
            rows = clocks.filtered(lambda c, m=metric: c.target_id.metric == m)
            self.assertEqual(len(rows), met + breached, metric)
            self.assertEqual(rows.mapped("cycle"), list(range(len(rows))), metric)
        self.assertCounts(
            {
                metric: (counts["met"], counts["breached"])
                for metric, counts in self._truth().items()
            },
            "truth",
        )

    def test_attainment_report(self):
        groups = self.env["slm.attainment.report"].read_group(
            [("agreement_id", "=", self.agreement.id)],
            ["met:sum", "breached:sum"],
            ["metric"],
            lazy=False,
        )
        self.assertCounts(
            {g["metric"]: (g["met"], g["breached"]) for g in groups},
            "attainment report",
        )
        labels = dict(
            self.env["slm.attainment.report"]
            ._fields["metric"]
            ._description_selection(self.env)
        )
        self.assertEqual({m: labels[m] for m in LABELS}, LABELS)

    def _statement(self):
        with freeze_time(datetime(2026, 4, 10)):
            return (
                self.env["slm.service.statement"]
                .with_user(self.manager)
                .create({"agreement_id": self.agreement.id, "period_start": MARCH})
            )

    def test_statement_and_portal(self):
        statement = self._statement()
        self.assertCounts(
            {
                line.metric: (line.met, line.breached)
                for line in statement.line_ids
                if line.metric in EXPECTED
            },
            "statement lines",
        )
        pdf_html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "slm_reviews.action_report_service_statement", statement.ids
            )[0]
            .decode()
        )
        for label in LABELS.values():
            self.assertIn(label, pdf_html, "statement PDF shows the metric")
        with freeze_time(datetime(2026, 4, 10)):
            statement.with_user(self.manager).action_issue()
        figures = self.env["slm.service.statement"]._figures_for(
            self.agreement, [MARCH]
        )
        self.assertCounts(
            {
                metric: (
                    figures[(target.id, MARCH)]["met"],
                    figures[(target.id, MARCH)]["breached"],
                )
                for metric, target in self.targets.items()
            },
            "issued statement figures (portal, reviews)",
        )
        self.authenticate("t_cycle_portal", "t_cycle_portal")
        response = self.url_open(f"/my/slm/statements/{statement.id}")
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        got = {}
        for row in tree.xpath("//tr[contains(@class, 'o_slm_portal_statement_line')]"):
            cells = [" ".join(td.text_content().split()) for td in row.xpath("./td")]
            metric = next(m for m, label in LABELS.items() if cells[0].endswith(label))
            got[metric] = (int(cells[3]), int(cells[4]))
        self.assertCounts(got, "portal statement")

    def test_review_agenda_and_minutes(self):
        with freeze_time(datetime(2026, 4, 10)):
            review = (
                self.env["slm.review"]
                .with_user(self.manager)
                .create(
                    {
                        "kind": "service",
                        "partner_id": self.customer.id,
                        "agreement_ids": [(6, 0, self.agreement.ids)],
                        "period_start": MARCH,
                        "period_end": date(2026, 3, 31),
                    }
                )
            )
            review.action_prepare_agenda()
        entries = review.snapshot["targets"]
        self.assertCounts(
            {e["metric"]: (e["met"], e["breached"]) for e in entries},
            "review agenda",
        )
        self.assertEqual({e["metric"]: e["metric_label"] for e in entries}, LABELS)
        minutes = (
            self.env["ir.actions.report"]
            ._render_qweb_html("slm_reviews.action_report_review_minutes", review.ids)[
                0
            ]
            .decode()
        )
        for label in LABELS.values():
            self.assertIn(label, minutes, "minutes show the metric's label")
