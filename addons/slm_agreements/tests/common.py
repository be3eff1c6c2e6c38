# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fixtures of the slm_agreements tests, in one module (no test here):
clocks (``SlmClockCase``), agreements and targets (``AgreementCase``),
availability (``AvailabilityCase``), real channels (``SlmChannelCase``),
sealed documents (``forget_seals``) and browser tours (``SlmTourCase``).
Everything is created here, so that the tests pass with and without demo
data."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase
from odoo.tests.common import TransactionCase, new_test_user

from odoo.addons.slm_catalogue.tests.common import (
    AccessCheckMixin,
    SlmCatalogueCase,
    SlmTestMixin,
)


class SlmClockCase(SlmTestMixin, TransactionCase):
    """Calendars in named time zones, stages, a customer, a service, and
    helpers to build agreed agreements and to drive tickets through time.

    Every instant in these tests is UTC unless the name says local.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=True))
        cls.company = cls.env.company
        cls.manager = new_test_user(
            cls.env,
            "slm_clock_manager",
            "slm_catalogue.group_slm_manager,helpdesk_mgmt.group_helpdesk_manager",
            context={"no_reset_password": True},
        )
        cls.agent = new_test_user(
            cls.env,
            "slm_clock_agent",
            "helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )
        cls.brussels = cls._calendar("T Brussels office", "Europe/Brussels", 8, 17)
        cls.new_york = cls._calendar("T New York office", "America/New_York", 9, 17)
        Stage = cls.env["helpdesk.ticket.stage"]
        cls.stage_new = Stage.create({"name": "T New", "sequence": 1})
        cls.stage_progress = Stage.create({"name": "T In Progress", "sequence": 2})
        cls.stage_waiting = Stage.create({"name": "T Waiting Customer", "sequence": 3})
        cls.stage_done = Stage.create({"name": "T Done", "sequence": 4, "closed": True})
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "T Service Desk"})
        cls.team_2 = cls.env["helpdesk.ticket.team"].create({"name": "T Second Line"})
        cls.customer = cls.env["res.partner"].create(
            {"name": "T Customer", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "T Contact",
                "parent_id": cls.customer.id,
                "email": "c@example.com",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "T Other Customer", "is_company": True}
        )
        cls.service = cls.env["slm.service"].create(
            {
                "code": "TCLK",
                "name": "T Clocked Service",
                "owner_id": cls.manager.id,
                "state": "live",
                "customer_ids": [(6, 0, cls.customer.ids)],
            }
        )
        cls.priorities = {p.value: p for p in cls.env["slm.ticket.priority"].search([])}

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------

    @classmethod
    def _calendar(cls, name, tz, hour_from, hour_to, days=(0, 1, 2, 3, 4)):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": tz,
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": "morning",
                        },
                    )
                    for day in days
                ],
            }
        )

    @classmethod
    def _holiday(cls, calendar, date_from, date_to):
        return cls.env["resource.calendar.leaves"].create(
            {
                "name": "T Holiday",
                "calendar_id": calendar.id,
                "date_from": date_from,
                "date_to": date_to,
            }
        )

    @classmethod
    def _agreement(cls, targets, **vals):
        """An agreed agreement with the given target values, in force since 2020."""
        values = {
            "name": "T Agreement",
            "kind": "sla",
            "structure": "service_based",
            "date_start": "2020-01-01",
            "service_ids": [(6, 0, cls.service.ids)],
        }
        values.update(vals)
        values["target_ids"] = [(0, 0, t) for t in targets]
        agreement = cls.env["slm.agreement"].create(values)
        cls._agree(agreement)
        return agreement

    @classmethod
    def _agree(cls, agreement):
        if agreement.kind == "sla":
            agreement.write(
                {
                    "customer_signed_by_id": cls.contact.id,
                    "customer_signed_date": "2020-01-01",
                }
            )
        agreement.action_agree()

    @classmethod
    def _target(cls, metric, hours, calendar=None, **vals):
        values = {
            "name": f"T {metric} {hours} h",
            "metric": metric,
            "threshold_hours": hours,
            "objective_pct": 95,
            "warning_pct": 75,
        }
        if calendar:
            values["calendar_id"] = calendar.id
        else:
            values["around_the_clock"] = True
        values.update(vals)
        return values

    @classmethod
    def _portal_user(cls, login, partner=None, company=None):
        """A portal user whose password is its login: the contact ``partner``,
        or a new contact of ``company``."""
        values = {"partner_id": partner.id} if partner else {}
        user = new_test_user(
            cls.env,
            login,
            "base.group_portal",
            context={"no_reset_password": True},
            **values,
        )
        if company:
            user.partner_id.parent_id = company
        return user

    def _ticket(self, at, **vals):
        with freeze_time(at):
            return self.env["helpdesk.ticket"].create(self._ticket_values(**vals))

    @classmethod
    def _ticket_values(cls, **vals):
        values = {
            "name": "T Ticket",
            "description": "<p>Help</p>",
            "partner_id": cls.contact.id,
            "service_id": cls.service.id,
            "team_id": cls.team.id,
            "stage_id": cls.stage_new.id,
            "priority": "1",
            "user_id": False,
        }
        values.update(vals)
        return values

    def _at(self, at, ticket, **vals):
        with freeze_time(at):
            ticket.write(vals)

    def _reply(self, at, ticket, internal=False, author=None):
        with freeze_time(at):
            ticket.with_user(author or self.agent).message_post(
                body="Answer",
                message_type="comment",
                subtype_xmlid="mail.mt_note" if internal else "mail.mt_comment",
            )

    @staticmethod
    def _clock(ticket, target):
        return ticket.slm_clock_ids.filtered(lambda c: c.target_id == target)

    def _refresh(self, ticket, at):
        """Recompute the ticket's clocks as they stand at ``at``."""
        with freeze_time(at):
            ticket._slm_sync_clocks()

    def _person_recomputes(self, records, user=None, reason="T correction"):
        """A person's recomputation (recomputation rules 1-3): the button of
        the ticket(s) or the agreement opens the preview, computed, then
        applied with a reason. Returns the run."""
        records = records.with_user(user) if user else records
        button = (
            records.action_recompute_clocks
            if records._name == "slm.agreement"
            else records.action_slm_recompute_clocks
        )
        action = button()
        run = (
            records.env["slm.recompute"]
            .with_context(**action["context"])
            .create({"reason": reason})
        )
        run.action_preview()
        run.action_apply()
        return run


def utc(*args):
    return datetime(*args)


# ======================================================================
# Agreements and targets (formerly test_agreement_common.py)
# ======================================================================


class AgreementCase(SlmTestMixin, TransactionCase):
    """Users of every role, customers, services, teams and calendars of its own,
    and builders of agreements, for the agreement and target tests.

    No test here: the classes that inherit it hold them. Everything is created
    here, so that the tests pass with and without demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.reader = cls._user("agr_reader", "slm_catalogue.group_slm_user")
        cls.analyst = cls._user("agr_analyst", "slm_catalogue.group_slm_analyst")
        cls.owner = cls._user("agr_owner", "slm_catalogue.group_slm_service_owner")
        cls.supplier_manager = cls._user(
            "agr_supplier", "slm_catalogue.group_slm_supplier_manager"
        )
        cls.manager = cls._user("agr_manager", "slm_catalogue.group_slm_manager")
        # Today as the users acting in the tests see it (their zone, not the
        # demo administrator's: they differ in the last hour of a UTC day).
        cls.today = fields.Date.context_today(
            cls.env["slm.agreement"].with_user(cls.manager)
        )
        cls.process_owner = cls._user(
            "agr_process", "slm_catalogue.group_slm_process_owner"
        )
        cls.agent = cls._user("agr_agent", "helpdesk_mgmt.group_helpdesk_user_own")
        cls.outsider = cls._user("agr_outsider", "base.group_user")
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "T Customer", "is_company": True})
        cls.contact = Partner.create(
            {"name": "T Customer Contact", "parent_id": cls.customer.id}
        )
        cls.other_customer = Partner.create({"name": "T Other", "is_company": True})
        cls.other_contact = Partner.create(
            {"name": "T Other Contact", "parent_id": cls.other_customer.id}
        )
        Service = cls.env["slm.service"]
        cls.service = Service.create(
            {"code": "TAGR1", "name": "T Service", "owner_id": cls.manager.id}
        )
        cls.service_2 = Service.create(
            {"code": "TAGR2", "name": "T Service 2", "owner_id": cls.manager.id}
        )
        Team = cls.env["helpdesk.ticket.team"]
        cls.team = Team.create({"name": "T Second Line"})
        cls.stage_waiting = cls.env["helpdesk.ticket.stage"].create(
            {"name": "T Waiting for Customer"}
        )
        cls.office_hours = cls._calendar("T Office", range(5))
        cls.no_hours = cls._calendar("T No Hours", ())
        cls.priorities = {p.value: p for p in cls.env["slm.ticket.priority"].search([])}
        cls.Agreement = cls.env["slm.agreement"].with_user(cls.manager)
        cls.Target = cls.env["slm.target"].with_user(cls.manager)

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------

    @classmethod
    def _user(cls, login, groups):
        return new_test_user(
            cls.env, login, groups, context={"no_reset_password": True}
        )

    @classmethod
    def _calendar(cls, name, days):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": "Europe/Brussels",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 17,
                            "day_period": "morning",
                        },
                    )
                    for day in days
                ],
            }
        )

    @classmethod
    def _target_vals(cls, metric="resolution", hours=8, **vals):
        values = {
            "metric": metric,
            "threshold_hours": hours,
            "calendar_id": cls.office_hours.id,
        }
        values.update(vals)
        return values

    @classmethod
    def _agreement(cls, targets=None, **vals):
        """A draft SLA for the test service, in force since 10 days, as the manager.

        ``targets``: a list of target values (one 8-hour resolution target by
        default; an empty list for none).
        """
        values = {
            "name": "T Agreement",
            "kind": "sla",
            "structure": "service_based",
            "service_ids": [(6, 0, cls.service.ids)],
            "date_start": cls.today - relativedelta(days=10),
        }
        values.update(vals)
        if targets is None:
            targets = [cls._target_vals()]
        values["target_ids"] = [(0, 0, target) for target in targets]
        return cls.Agreement.create(values)

    @classmethod
    def _sign(cls, agreement, signer=None):
        agreement.write(
            {
                "customer_signed_by_id": (signer or cls.contact).id,
                "customer_signed_date": cls.today - relativedelta(days=11),
            }
        )

    @classmethod
    def _agreed(cls, targets=None, **vals):
        agreement = cls._agreement(targets, **vals)
        if agreement.kind == "sla":
            cls._sign(agreement)
        agreement.action_agree()
        return agreement

    @classmethod
    def _multi_level(cls, level, parent=None, targets=None, **vals):
        values = {
            "name": f"T {level}",
            "structure": "multi_level",
            "level": level,
            "parent_id": parent.id if parent else False,
            "service_ids": [(5, 0, 0)],
        }
        if level != "corporate":
            values["partner_id"] = cls.customer.id
        if level == "service":
            values["service_ids"] = [(6, 0, cls.service.ids)]
        values.update(vals)
        return cls._agreement(targets, **values)

    # ------------------------------------------------------------------
    # Assertions
    # ------------------------------------------------------------------

    def assertUnchanged(self, record, **expected):
        """The record, read again from the database, has these values."""
        record.invalidate_recordset()
        for name, value in expected.items():
            self.assertEqual(record[name], value, f"{record._name}.{name} changed")


# ======================================================================
# Availability and change impact (formerly availability_common.py)
# Shared set-up of the availability and change-impact tests (no test here).
#
# Every instant is UTC. The office calendar is in UTC too, Monday to Friday
# 09:00-17:00, so that the hand-worked figures are easy to follow: March 2026
# (1 March is a Sunday) has 22 working days, i.e. 176 hours of service time.
# ======================================================================


MARCH = date(2026, 3, 1)
APRIL = date(2026, 4, 1)
# March is over: its figures are final.
AFTER_MARCH = datetime(2026, 4, 10, 12, 0)


class AvailabilityCase(AccessCheckMixin, SlmCatalogueCase):
    """A dependency chain A -> B -> C (A depends on B, B on C), a standalone
    service, customers, a UTC office calendar, and builders of agreed
    agreements with availability targets, outages and maintenance windows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=True))
        cls.office = cls.env["resource.calendar"].create(
            {
                "name": "T UTC Office",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "morning",
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create(
            {"name": "T Avail Customer A", "is_company": True}
        )
        cls.customer_b = Partner.create(
            {"name": "T Avail Customer B", "is_company": True}
        )
        cls.signer = Partner.create({"name": "T Avail Signer"})
        cls.svc_c = cls.Service.create(
            {
                "code": "TAVC",
                "name": "T Storage (C)",
                "owner_id": cls.owner.id,
                "state": "live",
                "service_type": "supporting",
            }
        )
        cls.svc_b = cls.Service.create(
            {
                "code": "TAVB",
                "name": "T Database (B)",
                "owner_id": cls.owner.id,
                "state": "live",
                "service_type": "supporting",
                "dependency_ids": [(6, 0, cls.svc_c.ids)],
            }
        )
        cls.svc_a = cls.Service.create(
            {
                "code": "TAVA",
                "name": "T Application (A)",
                "owner_id": cls.owner.id,
                "state": "live",
                "dependency_ids": [(6, 0, cls.svc_b.ids)],
                "customer_ids": [(6, 0, cls.customer_a.ids)],
            }
        )
        cls.svc_other = cls.Service.create(
            {
                "code": "TAVO",
                "name": "T Other Service",
                "owner_id": cls.owner.id,
                "state": "live",
                "customer_ids": [(6, 0, cls.customer_b.ids)],
            }
        )
        cls.Availability = cls.env["slm.availability"]
        cls.Outage = cls.env["slm.outage"]

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------

    @classmethod
    def _availability_target(cls, objective=99.5, warning=50, calendar=None, **vals):
        values = {
            "metric": "availability",
            "objective_pct": objective,
            "warning_pct": warning,
        }
        if calendar is None:
            values.update(around_the_clock=True, calendar_id=False)
        else:
            values.update(around_the_clock=False, calendar_id=calendar.id)
        values.update(vals)
        return values

    @classmethod
    def _agreement(cls, services, targets, **vals):
        """An SLA on ``services`` agreed by the manager, in force since 2026."""
        values = {
            "name": "T Availability SLA",
            "kind": "sla",
            "structure": "service_based",
            "date_start": "2026-01-01",
            "service_ids": [(6, 0, services.ids)],
            "customer_signed_by_id": cls.signer.id,
            "customer_signed_date": "2025-12-20",
            "provider_user_id": cls.manager.id,
            "target_ids": [(0, 0, target) for target in targets],
        }
        values.update(vals)
        agreement = cls.env["slm.agreement"].with_user(cls.manager).create(values)
        agreement.action_agree()
        return agreement.with_user(cls.env.user)

    @classmethod
    def _outage(cls, service, start, end=None, **vals):
        values = {
            "name": f"T outage of {service.code}",
            "service_id": service.id,
            "date_start": start,
            "date_end": end or False,
        }
        values.update(vals)
        return cls.Outage.create(values)

    @classmethod
    def _maintenance(cls, agreement, start, end, approve=True):
        """A maintenance window of ``agreement``, approved through the workflow
        (asked by one Service Level Manager, approved by another)."""
        window = (
            cls.env["slm.adjustment"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "T maintenance",
                    "agreement_id": agreement.id,
                    "kind": "maintenance",
                    "date_start": start,
                    "date_end": end,
                    "reason": "Agreed with the customer",
                }
            )
        )
        if approve:
            window.action_submit()
            window.with_user(cls.manager_2).action_approve()
        return window

    def _row(self, target, service=None, month=MARCH, agreement=None):
        return self.Availability.search(
            [
                ("target_id", "=", target.id),
                ("agreement_id", "=", (agreement or target.agreement_id).id),
                ("service_id", "=", service.id if service else False),
                ("period_start", "=", month),
            ]
        )

    def _refresh(self, now, months=(MARCH,)):
        self.Availability._refresh(set(months), now=now)


# ======================================================================
# Real channels (formerly channels_common.py)
# Tickets through the real channels: raw e-mails fed to the mail gateway
# (``mail.thread.message_process``, as the mail-fetch job does), the composer
# with helpdesk_mgmt's templates, the chatter.
# ======================================================================


RAW_EMAIL = """From: {email_from}
To: helpdesk@example.com
Subject: {subject}
Message-ID: <{msg_id}>
{headers}Date: Tue, 29 Nov 2011 12:43:21 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

{body}
"""


class SlmChannelCase(SlmClockCase):
    """An SLA (response 4 h, resolution 8 h, around the clock, paused while
    waiting for the customer), an agent with an e-mail address, a company
    address for the templates' From."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.email = "desk@example.com"
        cls.env.company.partner_id.email = "desk@example.com"
        cls.agent.partner_id.email = "agent@example.com"
        cls.agent.partner_id.name = "T Agent"
        cls.leader = new_test_user(
            cls.env,
            "slm_channel_leader",
            "helpdesk_mgmt.group_helpdesk_user",
            email="leader@example.com",
            context={"no_reset_password": True},
        )
        cls.sla = cls._agreement(
            [
                cls._target("response", 4),
                cls._target(
                    "resolution",
                    8,
                    pause_stage_ids=[(6, 0, cls.stage_waiting.ids)],
                ),
            ],
            provider_user_id=cls.manager.id,
        )
        cls.response = cls.sla.target_ids.filtered(lambda t: t.metric == "response")
        cls.resolution = cls.sla.target_ids - cls.response
        cls._msg_seq = 0

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------

    def _raw(self, email_from, subject="Printer down", headers="", body="Hello"):
        type(self)._msg_seq += 1
        msg_id = f"slm-channel-{self._msg_seq}-{id(self)}@example.com"
        return msg_id, RAW_EMAIL.format(
            email_from=email_from,
            subject=subject,
            msg_id=msg_id,
            headers=headers,
            body=body,
        )

    def _gateway(self, at, raw, custom_values=None):
        """Feed ``raw`` to the mail gateway at ``at``, as the mail-fetch job."""
        with freeze_time(at):
            return (
                self.env["mail.thread"]
                .with_context(fetchmail_cron_running=True)
                .message_process(
                    "helpdesk.ticket", raw, custom_values=custom_values or {}
                )
            )

    def _email_ticket(self, at, email_from="c@example.com", **custom):
        """A new ticket from a customer's e-mail; returns (ticket, message id)."""
        values = {
            "service_id": self.service.id,
            "team_id": self.team.id,
            "stage_id": self.stage_new.id,
        }
        values.update(custom)
        msg_id, raw = self._raw(email_from)
        ticket_id = self._gateway(at, raw, values)
        return self.env["helpdesk.ticket"].browse(ticket_id), msg_id

    def _email_reply(self, at, ticket, parent_msg_id, email_from, headers=""):
        """An e-mail answering ``parent_msg_id`` (routed to its ticket)."""
        _msg_id, raw = self._raw(
            email_from,
            subject=f"Re: {ticket.name}",
            headers=f"In-Reply-To: <{parent_msg_id}>\n"
            f"References: <{parent_msg_id}>\n{headers}",
            body="Some answer",
        )
        self.assertEqual(self._gateway(at, raw), ticket.id)
        return ticket.message_ids[:1]

    def _template_reply(self, at, ticket, user, template_xmlid):
        """``user`` sends one of helpdesk_mgmt's templates from the composer."""
        template = self.env.ref(template_xmlid)
        with freeze_time(at):
            composer = (
                self.env["mail.compose.message"]
                .with_user(user)
                .with_context(
                    default_model="helpdesk.ticket",
                    default_res_ids=ticket.ids,
                    default_template_id=template.id,
                    default_composition_mode="comment",
                )
                .create({})
            )
            composer.action_send_mail()
        return ticket.message_ids[:1]

    def _replies(self, ticket):
        return self.env["slm.ticket.event"].search(
            [("ticket_id", "=", ticket.id), ("event_type", "=", "reply")]
        )


# ======================================================================
# Sealed documents (formerly seal_common.py)
# Clean-up of tests that commit sealed documents (seal rules of the usage
# readme).
# ======================================================================


def forget_seals(cr, model, res_ids):
    """Delete the seals of these committed test documents, before the
    documents themselves are deleted in SQL, and make the last remaining seal
    of each chain its head again: the chains of the database stay as if the
    test had never run (Verify Integrity would otherwise report the deleted
    documents)."""
    cr.execute(
        "DELETE FROM slm_seal WHERE kind = %s AND res_id = ANY(%s) "
        "RETURNING company_id",
        [model, list(res_ids)],
    )
    for company_id in {row[0] for row in cr.fetchall()}:
        cr.execute(
            "UPDATE slm_seal SET is_head = (id = ("
            "  SELECT id FROM slm_seal WHERE kind = %s AND company_id = %s"
            "  ORDER BY sequence DESC LIMIT 1"
            ")) WHERE kind = %s AND company_id = %s",
            [model, company_id, model, company_id],
        )


# ======================================================================
# Browser tours (formerly tour_common.py)
# Shared set-up of the browser tours of the suite (slm_agreements and
# slm_reviews): users of one role each, customers, services, agreed SLAs.
# ======================================================================


def tour_user(env, login, groups, **values):
    """A user of these groups whose password is its login."""
    return new_test_user(
        env,
        login,
        groups,
        context={"no_reset_password": True},
        password=login,
        tz="UTC",
        **values,
    )


class SlmTourCase(HttpCase):
    """Builders of the records the tours start from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=True))
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        # Without demo data the company has no e-mail address, and the e-mail
        # of helpdesk_mgmt's Done stage (sent from it) would fail and log an
        # ERROR when a tour closes a ticket.
        if not cls.env.company.email:
            cls.env.company.email = "service-desk@example.com"

    @classmethod
    def _customer(cls, name, contact_name):
        customer = cls.env["res.partner"].create({"name": name, "is_company": True})
        contact = cls.env["res.partner"].create(
            {
                "name": contact_name,
                "parent_id": customer.id,
                "email": f"{contact_name.split()[0].lower()}@example.com",
            }
        )
        return customer, contact

    @classmethod
    def _service(cls, code, name, owner):
        return cls.env["slm.service"].create(
            {"code": code, "name": name, "owner_id": owner.id, "state": "live"}
        )

    @classmethod
    def _agreed_sla(cls, name, customer, contact, service, manager, targets):
        """An SLA of the customer for the service, agreed by ``manager``, in
        force since 2020, with targets counting around the clock."""
        sla = cls.env["slm.agreement"].create(
            {
                "name": name,
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": customer.id,
                "customer_contact_id": contact.id,
                "service_ids": [Command.set(service.ids)],
                "date_start": "2020-01-01",
                "customer_signed_by_id": contact.id,
                "customer_signed_date": "2020-01-01",
                "target_ids": [
                    Command.create(
                        {
                            "name": target_name,
                            "sequence": sequence,
                            "metric": metric,
                            "threshold_hours": hours,
                            "objective_pct": 90,
                            "around_the_clock": True,
                        }
                    )
                    for sequence, (target_name, metric, hours) in enumerate(targets)
                ],
            }
        )
        sla.with_user(manager).action_agree()
        return sla
