# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 17: what counts as a response (channel rules 1 to 4), alert recipients
(channel rule 5), customer replies (channel rule 6), closures that are not resolutions
(channel rule 7), customer changes (channel rule 8), through the mail gateway, the
composer and the chatter. The portal is in ``test_portal_channels``.

2026-03-02 is a Monday; every instant is UTC."""

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import SlmChannelCase, utc

T0 = utc(2026, 3, 2, 9)


@tagged("post_install", "-at_install")
class TestResponseChannels(SlmChannelCase):
    """Channel rule 1 (what is a response), 14 (per OLA team), 16 (received time)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ola = cls._agreement(
            [cls._target("response", 2)],
            kind="ola",
            team_id=cls.team_2.id,
            name="T OLA second line",
        )
        cls.ola_response = cls.ola.target_ids

    def test_email_ticket_customer_reply_auto_reply_then_agent_email(self):
        ticket, first_msg = self._email_ticket(T0)
        self.assertEqual(ticket.partner_id, self.contact)
        response = self._clock(ticket, self.response)
        resolution = self._clock(ticket, self.resolution)
        self.assertEqual((response.status, response.start), ("running", T0))
        self.assertEqual(response.deadline, utc(2026, 3, 2, 13))
        self.assertEqual(resolution.status, "running")

        # The customer writes again: not a response.
        self._email_reply(utc(2026, 3, 2, 10), ticket, first_msg, "c@example.com")
        self.assertEqual(response.status, "running")
        self.assertFalse(self._replies(ticket))

        # The agent's out-of-office answers by itself: not a response.
        message = self._email_reply(
            utc(2026, 3, 2, 10, 30),
            ticket,
            first_msg,
            "agent@example.com",
            headers="Auto-Submitted: auto-replied\n",
        )
        self.assertEqual(message.author_id, self.agent.partner_id)
        self.assertEqual(response.status, "running")
        # Nor is an auto-responder's X-Autoreply, nor Precedence: auto_reply.
        self._email_reply(
            utc(2026, 3, 2, 10, 40),
            ticket,
            first_msg,
            "agent@example.com",
            headers="X-Autoreply: yes\n",
        )
        self._email_reply(
            utc(2026, 3, 2, 10, 50),
            ticket,
            first_msg,
            "agent@example.com",
            headers="Precedence: auto_reply\n",
        )
        self.assertEqual(response.status, "running")

        # The agent answers by e-mail: message type email, subtype Discussions.
        message = self._email_reply(
            utc(2026, 3, 2, 11), ticket, first_msg, "agent@example.com"
        )
        self.assertEqual(message.message_type, "email")
        self.assertEqual(message.author_id, self.agent.partner_id)
        # Timed when it reached the ticket, not by its 2011 Date header
        # (channel rule 4).
        self.assertEqual((response.status, response.stop), ("met", utc(2026, 3, 2, 11)))
        self.assertEqual(resolution.status, "running")

    def test_template_reply_from_the_composer_counts_for_the_sender(self):
        ticket, _msg = self._email_ticket(T0)
        response = self._clock(ticket, self.response)
        message = self._template_reply(
            utc(2026, 3, 2, 12),
            ticket,
            self.agent,
            "helpdesk_mgmt.changed_stage_template",
        )
        # The template's From is the company: its author is not the agent.
        self.assertEqual(message.author_id, self.env.company.partner_id)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual((response.status, response.stop), ("met", utc(2026, 3, 2, 12)))

    def test_template_reply_by_the_requester_does_not_count(self):
        employee = new_test_user(
            self.env,
            "slm_channel_requester",
            "helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )
        ticket = self._ticket(T0, partner_id=employee.partner_id.id)
        self._template_reply(
            utc(2026, 3, 2, 10),
            ticket,
            employee,
            "helpdesk_mgmt.changed_stage_template",
        )
        self.assertEqual(self._clock(ticket, self.response).status, "running")

    def test_requester_own_message_is_not_the_response(self):
        # An internal IT desk: the requester is an employee (internal user).
        employee = new_test_user(
            self.env,
            "slm_channel_employee",
            "helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )
        ticket = self._ticket(T0, partner_id=employee.partner_id.id)
        response = self._clock(ticket, self.response)
        self._reply(utc(2026, 3, 2, 10), ticket, author=employee)  # "Any news?"
        self.assertEqual(response.status, "running")
        self._reply(utc(2026, 3, 2, 11), ticket)
        self.assertEqual((response.status, response.stop), ("met", utc(2026, 3, 2, 11)))

    def test_odoobot_never_counts_whatever_active_test(self):
        ticket = self._ticket(T0)
        response = self._clock(ticket, self.response)
        root = self.env.ref("base.user_root")
        for active_test in (True, False):
            with freeze_time(utc(2026, 3, 2, 10)):
                ticket.with_user(root).with_context(
                    active_test=active_test
                ).message_post(
                    body="Automatic message",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    author_id=root.partner_id.id,
                )
            self.assertEqual(response.status, "running")

    def test_archived_user_email_and_portal_comment_do_not_count(self):
        ticket, first_msg = self._email_ticket(T0)
        response = self._clock(ticket, self.response)
        former = new_test_user(
            self.env,
            "slm_channel_former",
            "helpdesk_mgmt.group_helpdesk_user",
            email="former@example.com",
            context={"no_reset_password": True},
        )
        former.partner_id.email = "former@example.com"
        former.active = False
        self._email_reply(utc(2026, 3, 2, 10), ticket, first_msg, "former@example.com")
        self.assertEqual(response.status, "running")
        portal = new_test_user(
            self.env,
            "slm_channel_portal",
            "base.group_portal",
            partner_id=self.contact.id,
            context={"no_reset_password": True},
        )
        with freeze_time(utc(2026, 3, 2, 10, 30)):
            # The context keys an attacker would send change nothing.
            ticket.with_user(portal).with_context(slm_composer_send=True).message_post(
                body="Done?", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(response.status, "running")

    def test_automated_action_message_does_not_count(self):
        ticket = self._ticket(T0)
        with freeze_time(utc(2026, 3, 2, 10)):
            # What base_automation's server actions run with.
            ticket.with_user(self.agent).with_context(__action_done={}).message_post(
                body="We received your request",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(self._clock(ticket, self.response).status, "running")

    def test_note_by_email_forwarded_internally_does_not_count(self):
        ticket = self._ticket(T0)
        self._reply(utc(2026, 3, 2, 10), ticket, internal=True)
        self.assertEqual(self._clock(ticket, self.response).status, "running")

    def test_ola_response_stops_on_its_own_team_reply(self):
        ticket = self._ticket(T0)
        self._reply(utc(2026, 3, 2, 10), ticket)  # first line answers
        self.assertEqual(self._clock(ticket, self.response).status, "met")
        self._at(utc(2026, 3, 2, 11), ticket, team_id=self.team_2.id)
        ola = self._clock(ticket, self.ola_response)
        self.assertEqual((ola.status, ola.start), ("running", utc(2026, 3, 2, 11)))
        # The second line answers by e-mail a while later: its own clock stops.
        self._reply(utc(2026, 3, 2, 12), ticket)
        self.assertEqual((ola.status, ola.stop), ("met", utc(2026, 3, 2, 12)))
        self.assertEqual(len(self._replies(ticket)), 2)
        # Recomputed from the history: same figures.
        self._refresh(ticket, utc(2026, 3, 2, 14))
        self.assertEqual((ola.status, ola.stop), ("met", utc(2026, 3, 2, 12)))
        self.assertEqual(self._clock(ticket, self.response).stop, utc(2026, 3, 2, 10))

    def test_history_rebuild_applies_the_same_rule(self):
        employee = new_test_user(
            self.env,
            "slm_channel_old_requester",
            "helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )
        former = new_test_user(
            self.env,
            "slm_channel_old_former",
            "helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )
        ticket = self._ticket(T0, partner_id=employee.partner_id.id)
        root = self.env.ref("base.user_root")
        posts = [
            (utc(2026, 3, 2, 9, 30), root, root.partner_id),
            (utc(2026, 3, 2, 10), former, former.partner_id),
            (utc(2026, 3, 2, 10, 30), employee, employee.partner_id),
            # A template reply: authored by the company, sent by the agent.
            (utc(2026, 3, 2, 11), self.agent, self.env.company.partner_id),
            (utc(2026, 3, 2, 12), self.agent, self.agent.partner_id),
        ]
        for at, user, author in posts:
            with freeze_time(at):
                ticket.with_user(user).sudo().message_post(
                    body="Message",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    author_id=author.id,
                )
        former.active = False
        # (create_date is the transaction's start, not the frozen time.)
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [T0, ticket.id]
        )
        self.env.invalidate_all()
        # The ticket predates the suite: no history of its own.
        ticket.slm_event_ids.sudo().unlink()
        ticket.slm_clock_ids.sudo().unlink()
        with freeze_time(utc(2026, 3, 2, 13)):
            ticket.with_context(active_test=False)._slm_backfill_events()
        reply = self._replies(ticket)
        self.assertEqual(reply.date, utc(2026, 3, 2, 11))
        # Channel rule 3: the rebuilt reply links the message it was found
        # in, and the clock's timeline (clock rule 19) shows it.
        template = ticket.message_ids.filtered(
            lambda m: m.date == utc(2026, 3, 2, 11) and m.body == "<p>Message</p>"
        )
        self.assertEqual(len(template), 1)
        self.assertEqual(reply.message_id, template)
        with freeze_time(utc(2026, 3, 2, 13)):
            ticket._slm_sync_clocks()
            html = self._clock(ticket, self.response).timeline_html
        self.assertIn(f'href="/mail/message/{template.id}"', html)

    def test_history_rebuild_never_puts_the_reply_before_creation(self):
        ticket = self._ticket(T0)
        self._reply(T0, ticket)
        message = ticket.message_ids.filtered(lambda m: m.body == "<p>Answer</p>")
        self.env.cr.execute(
            "UPDATE mail_message SET date = %s WHERE id = %s",
            [utc(2026, 3, 2, 8, 59, 59), message.id],
        )
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [T0, ticket.id]
        )
        self.env.invalidate_all()
        ticket.slm_event_ids.sudo().unlink()
        ticket._slm_backfill_events()
        self.assertEqual(self._replies(ticket).date, T0)
        self.assertEqual(self._replies(ticket).message_id, message)


@tagged("post_install", "-at_install")
class TestAlertRecipients(SlmChannelCase):
    """Channel rule 5: alerts reach someone who can act."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env,
            "slm_alert_portal",
            "base.group_portal",
            partner_id=cls.contact.id,
            context={"no_reset_password": True},
        )
        cls.archived = new_test_user(
            cls.env,
            "slm_alert_archived",
            "helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )
        cls.archived.active = False
        cls.root = cls.env.ref("base.user_root")
        cls.Level = cls.env["slm.escalation.level"]

    def _level(self, recipient, user=None):
        return self.Level.new(
            {
                "target_id": self.resolution.id,
                "recipient": recipient,
                "threshold_pct": 100,
                "user_id": user and user.id,
            }
        )

    def test_role_chains(self):
        ticket = self._ticket(T0)
        for assignee in (self.root, self.portal, self.archived):
            ticket.sudo().user_id = assignee
            self.team.user_id = False
            self.assertEqual(
                self._level("assignee")._recipient_user(ticket, self.sla), self.manager
            )
            self.team.user_id = self.leader
            self.assertEqual(
                self._level("assignee")._recipient_user(ticket, self.sla), self.leader
            )
        ticket.sudo().user_id = self.agent
        self.assertEqual(
            self._level("assignee")._recipient_user(ticket, self.sla), self.agent
        )
        self.team.user_id = self.root
        self.assertEqual(
            self._level("team_leader")._recipient_user(ticket, self.sla), self.manager
        )
        owner = new_test_user(
            self.env,
            "slm_alert_owner",
            "helpdesk_mgmt.group_helpdesk_user,slm_catalogue.group_slm_service_owner",
            context={"no_reset_password": True},
        )
        self.service.owner_id = owner
        self.assertEqual(
            self._level("service_owner")._recipient_user(ticket, self.sla), owner
        )
        owner.active = False
        self.assertEqual(
            self._level("service_owner")._recipient_user(ticket, self.sla),
            self.manager,
        )
        self.assertEqual(
            self._level("user", self.archived)._recipient_user(ticket, self.sla),
            self.manager,
        )
        self.assertEqual(
            self._level("manager")._recipient_user(ticket, self.sla), self.manager
        )

    def test_breach_of_an_email_ticket_assigned_to_odoobot_goes_to_the_manager(self):
        # helpdesk_mgmt's auto-assignment makes the gateway's user the assignee.
        ticket, _msg = self._email_ticket(T0, user_id=self.root.id, team_id=False)
        self.assertEqual(ticket.user_id, self.root)
        with freeze_time(utc(2026, 3, 2, 18)):
            self.env["slm.clock"]._cron_settle_due_clocks()
        self.assertEqual(self._clock(ticket, self.resolution).status, "breached")
        users = ticket.activity_ids.user_id
        self.assertEqual(users, self.manager)
        self.assertNotIn(self.root, users)


@tagged("post_install", "-at_install")
class TestClosureKinds(SlmChannelCase):
    """Channel rule 7: closures that are not resolutions; closure by the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_cancelled = cls.env["helpdesk.ticket.stage"].create(
            {
                "name": "T Cancelled",
                "sequence": 5,
                "closed": True,
                "slm_not_resolution": True,
            }
        )
        cls.portal = new_test_user(
            cls.env,
            "slm_closure_portal",
            "base.group_portal",
            partner_id=cls.contact.id,
            context={"no_reset_password": True},
        )

    def test_helpdesk_mgmt_cancel_and_reject_stages_are_not_resolutions(self):
        for xmlid in (
            "helpdesk_ticket_stage_cancelled",
            "helpdesk_ticket_stage_rejected",
        ):
            self.assertTrue(self.env.ref(f"helpdesk_mgmt.{xmlid}").slm_not_resolution)
        self.assertFalse(
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").slm_not_resolution
        )

    def test_cancelled_without_reply_cancels_both_clocks(self):
        ticket = self._ticket(T0)
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_cancelled.id)
        response = self._clock(ticket, self.response)
        resolution = self._clock(ticket, self.resolution)
        self.assertEqual((response.status, resolution.status), ("cancelled",) * 2)
        self.assertFalse(response.settled_date or resolution.settled_date)
        self.assertEqual(ticket.slm_status, "none")
        # Recomputed by a person: the same.
        with freeze_time(utc(2026, 3, 2, 11)):
            self._person_recomputes(ticket)
        self.assertEqual((response.status, resolution.status), ("cancelled",) * 2)

    def test_answered_then_cancelled_keeps_the_response_met(self):
        ticket = self._ticket(T0)
        self._reply(utc(2026, 3, 2, 10), ticket)
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_cancelled.id)
        self.assertEqual(self._clock(ticket, self.response).status, "met")
        self.assertEqual(self._clock(ticket, self.resolution).status, "cancelled")

    def test_a_breach_stays_a_breach(self):
        ticket = self._ticket(T0)
        self._at(utc(2026, 3, 2, 20), ticket, stage_id=self.stage_cancelled.id)
        self.assertEqual(self._clock(ticket, self.response).status, "breached")
        self.assertEqual(self._clock(ticket, self.resolution).status, "breached")

    def test_resolved_then_marked_duplicate_is_cancelled_then_reopened_resolved(self):
        ticket = self._ticket(T0)
        self._reply(utc(2026, 3, 2, 10), ticket)
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_done.id)
        resolution = self._clock(ticket, self.resolution)
        self.assertEqual(resolution.status, "met")
        self._at(utc(2026, 3, 2, 12), ticket, stage_id=self.stage_cancelled.id)
        self.assertEqual(resolution.status, "cancelled")
        self._at(utc(2026, 3, 2, 13), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(resolution.status, "running")
        self._at(utc(2026, 3, 2, 14), ticket, stage_id=self.stage_done.id)
        self.assertEqual(
            (resolution.status, resolution.stop), ("met", utc(2026, 3, 2, 14))
        )

    def test_customer_closure_counts_for_resolution_never_for_response(self):
        ticket = self._ticket(T0)
        with freeze_time(utc(2026, 3, 2, 10)):
            # What the portal's close route does: sudo, as the portal user.
            ticket.with_user(self.portal).sudo().write({"stage_id": self.stage_done.id})
        event = ticket.slm_event_ids.filtered(lambda e: e.event_type == "stage")
        self.assertEqual(event.closure, "customer")
        self.assertEqual(self._clock(ticket, self.response).status, "cancelled")
        self.assertEqual(self._clock(ticket, self.resolution).status, "met")

    def test_customer_closure_not_counted_where_the_agreement_says_so(self):
        service = self.env["slm.service"].create(
            {
                "code": "TCLS",
                "name": "T Closure Service",
                "owner_id": self.manager.id,
                "state": "live",
            }
        )
        agreement = self._agreement(
            [self._target("resolution", 8)],
            service_ids=[(6, 0, service.ids)],
            customer_closure_resolves=False,
        )
        ticket = self._ticket(T0, service_id=service.id)
        with freeze_time(utc(2026, 3, 2, 10)):
            ticket.with_user(self.portal).sudo().write({"stage_id": self.stage_done.id})
        self.assertEqual(self._clock(ticket, agreement.target_ids).status, "cancelled")
        # An agent closing the same way resolves it.
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_progress.id)
        self._at(utc(2026, 3, 2, 12), ticket, stage_id=self.stage_done.id)
        self.assertEqual(self._clock(ticket, agreement.target_ids).status, "met")


@tagged("post_install", "-at_install")
class TestCustomerReplies(SlmChannelCase):
    """Channel rule 6: a customer's reply moves a waiting ticket on; a customer
    e-mail on a recently closed ticket reopens it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_waiting.slm_waiting_customer = True
        cls.team.write(
            {
                "slm_customer_reply_stage_id": cls.stage_progress.id,
                "slm_reopen_days": 3,
            }
        )

    def test_customer_email_moves_a_waiting_ticket_back(self):
        ticket, first_msg = self._email_ticket(T0)
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_waiting.id)
        resolution = self._clock(ticket, self.resolution)
        self.assertEqual(resolution.status, "paused")
        # An out-of-office from the customer changes nothing.
        self._email_reply(
            utc(2026, 3, 2, 10, 30),
            ticket,
            first_msg,
            "c@example.com",
            headers="Auto-Submitted: auto-replied\n",
        )
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self._email_reply(utc(2026, 3, 2, 12), ticket, first_msg, "c@example.com")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(resolution.status, "running")
        self.assertEqual(resolution.paused_seconds, 2 * 3600)
        self.assertEqual(resolution.deadline, utc(2026, 3, 2, 19))

    def test_agent_reply_does_not_move_a_waiting_ticket(self):
        ticket = self._ticket(T0)
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_waiting.id)
        self._reply(utc(2026, 3, 2, 11), ticket)
        self.assertEqual(ticket.stage_id, self.stage_waiting)

    def test_customer_email_reopens_a_recently_closed_ticket(self):
        ticket, first_msg = self._email_ticket(T0)
        self._reply(utc(2026, 3, 2, 10), ticket)
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_done.id)
        resolution = self._clock(ticket, self.resolution)
        self.assertEqual(resolution.status, "met")
        # Two days later: "it is broken again".
        self._email_reply(utc(2026, 3, 4, 11), ticket, first_msg, "c@example.com")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        # The closed time does not count: 2 h used, 6 h left from now.
        self.assertEqual(resolution.status, "running")
        self.assertEqual(resolution.used_seconds, 2 * 3600)
        self.assertEqual(resolution.deadline, utc(2026, 3, 4, 17))

    def test_old_closed_ticket_stays_closed(self):
        ticket, first_msg = self._email_ticket(T0)
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_done.id)
        self._email_reply(utc(2026, 3, 9, 11), ticket, first_msg, "c@example.com")
        self.assertEqual(ticket.stage_id, self.stage_done)

    def test_reopen_stage_defaults_to_the_first_open_stage(self):
        self.team.slm_customer_reply_stage_id = False
        ticket, first_msg = self._email_ticket(T0)
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_done.id)
        self._email_reply(utc(2026, 3, 3, 11), ticket, first_msg, "c@example.com")
        self.assertFalse(ticket.stage_id.closed)
        self.assertEqual(self._clock(ticket, self.resolution).status, "running")

    def test_bad_settings_are_refused(self):
        from odoo.exceptions import ValidationError

        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.team.slm_reopen_days = -1
        with self.assertRaisesText(ValidationError, "must be an open stage"):
            self.team.slm_customer_reply_stage_id = self.stage_done


@tagged("post_install", "-at_install")
class TestCustomerChange(SlmChannelCase):
    """Channel rule 8: the contact's company changes, the clocks follow at once."""

    def test_contact_moving_company_re_evaluates_clocks(self):
        service = self.env["slm.service"].create(
            {
                "code": "TCCH",
                "name": "T Customer Change Service",
                "owner_id": self.manager.id,
                "state": "live",
            }
        )
        agreement = self._agreement(
            [self._target("resolution", 8)],
            structure="customer_based",
            partner_id=self.customer.id,
            service_ids=[(6, 0, service.ids)],
        )
        ticket = self._ticket(T0, service_id=service.id)
        clock = self._clock(ticket, agreement.target_ids)
        self.assertEqual(clock.status, "running")
        with freeze_time(utc(2026, 3, 2, 10)):
            self.contact.parent_id = self.other_customer
        self.assertEqual(ticket.commercial_partner_id, self.other_customer)
        self.assertEqual(clock.status, "cancelled")
        with freeze_time(utc(2026, 3, 2, 11)):
            self.contact.parent_id = self.customer
        self.assertEqual(clock.status, "running")
        self.assertEqual(clock.partner_id, self.customer)
