# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from .test_review_exports import ReviewExportsCommon


@tagged("post_install", "-at_install")
class TestReviewSend(ReviewExportsCommon, HttpCase):
    """Send Minutes: the composer with the template, both reports attached,
    the attendees with an e-mail as recipients; sending freezes the minutes.

    An HttpCase: the PDF attached is rendered by wkhtmltopdf, which loads the
    report's styles from the server (sharing the test's transaction)."""

    def _counts(self):
        return {
            "messages": self.env["mail.message"].search_count(
                [("model", "=", "slm.review"), ("res_id", "=", self.review.id)]
            ),
            "mails": self.env["mail.mail"].search_count([]),
            "attachments": self.env["ir.attachment"].search_count([]),
        }

    def _open_composer(self, user=None):
        # Real PDFs (Odoo renders HTML instead of PDF in tests unless told).
        review = self.review.with_user(user or self.user_analyst).with_context(
            force_report_rendering=True
        )
        action = review.action_send_minutes()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer_env = review.env["mail.compose.message"].with_context(
            **action["context"]
        )
        return Form(composer_env)

    def _send(self, user=None):
        composer = self._open_composer(user).save()
        composer.action_send_mail()
        return composer

    # ------------------------------------------------------------------
    # Bad input: nothing sent, nothing written
    # ------------------------------------------------------------------

    def test_refused_without_attendee_email(self):
        self.review.write(
            {
                "attendee_partner_ids": [(6, 0, self.bob.ids)],
                "attendee_user_ids": [(5, 0, 0)],
            }
        )
        before = self._counts()
        with self.assertRaisesText(UserError, "none of the attendees has an e-mail"):
            self.review.with_user(self.user_analyst).action_send_minutes()
        self.assertEqual(self._counts(), before)
        self.assertEqual(self.review.state, "held")
        self.assertFalse(self.review.minutes_sent_date)

    def test_refused_when_attendees_lose_their_email_after_opening(self):
        """The composer was opened, then the only e-mail address was removed:
        sending is refused at the last moment, the review stays held."""
        composer = self._open_composer()
        self.review.write({"attendee_user_ids": [(5, 0, 0)]})
        self.alice.email = False
        before = self._counts()
        with self.assertRaisesText(UserError, "none of the attendees has an e-mail"):
            composer.save().action_send_mail()
        self.assertEqual(self._counts()["messages"], before["messages"])
        self.assertEqual(self.review.state, "held")
        self.assertFalse(self.review.minutes_sent_date)

    def test_refused_when_minutes_not_generated(self):
        self.review.write({"minutes": False})
        before = self._counts()
        with self.assertRaisesText(UserError, "generate the minutes before sending"):
            self.review.with_user(self.user_analyst).action_send_minutes()
        self.assertEqual(self._counts(), before)
        self.assertEqual(self.review.state, "held")

    def test_refused_before_the_meeting(self):
        self.review.write({"state": "agenda_ready"})
        with self.assertRaisesText(UserError, "once the meeting is held"):
            self.review.with_user(self.user_analyst).action_send_minutes()
        self.assertEqual(self.review.state, "agenda_ready")

    def test_reader_cannot_send(self):
        with self.assertRaises(AccessError):
            self.review.with_user(self.user_reader).action_send_minutes()
        self.assertEqual(self.review.state, "held")

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def test_composer_prefilled(self):
        composer = self._open_composer().save()
        self.assertEqual(
            composer.template_id,
            self.env.ref("slm_reviews.mail_template_review_minutes"),
        )
        # Alice and the internal attendee; Bob has no e-mail address.
        self.assertEqual(
            set(composer.partner_ids.ids), set((self.alice | self.owner.partner_id).ids)
        )
        names = sorted(composer.attachment_ids.mapped("name"))
        self.assertEqual(
            names,
            [
                "Minutes - T Review October.pdf",
                "Performance Pack - T Review October.xlsx",
            ],
        )
        self.assertEqual(
            composer.subject, "Minutes of the service review T Review October"
        )
        # Closing the composer changes nothing.
        self.assertEqual(self.review.state, "held")

    def test_send_minutes(self):
        before = self._counts()
        self._send()
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "slm.review"),
                ("res_id", "=", self.review.id),
                ("message_type", "=", "comment"),
                ("attachment_ids", "!=", False),
            ]
        )
        self.assertEqual(len(messages), 1)
        message = messages
        self.assertEqual(message.author_id, self.user_analyst.partner_id)
        self.assertEqual(message.partner_ids, self.alice | self.owner.partner_id)
        attachments = {a.name: a for a in message.attachment_ids}
        self.assertEqual(
            sorted(attachments),
            [
                "Minutes - T Review October.pdf",
                "Performance Pack - T Review October.xlsx",
            ],
        )
        pdf = attachments["Minutes - T Review October.pdf"]
        xlsx = attachments["Performance Pack - T Review October.xlsx"]
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        self.assertTrue(xlsx.raw.startswith(b"PK"))
        self.assertEqual((pdf | xlsx).mapped("res_model"), ["slm.review"] * 2)
        self.assertEqual((pdf | xlsx).mapped("res_id"), [self.review.id] * 2)
        # The body sums the period up (from the snapshot) and links the portal.
        text = " ".join(re.sub(r"<[^>]+>", "", message.body).split())
        self.assertIn("covering 10/01/2026 to 10/31/2026, held on", text)
        self.assertIn("1 of 3 targets were achieved, with 2 breaches", text)
        self.assertIn("(and 1 excused, not counted)", text)
        self.assertIn("T Resolution 8 h: 87.50 % (objective 90.00 %)", text)
        self.assertNotIn("T Response 2 h:", text)
        self.assertRegex(
            message.body, rf"/my/slm/reviews/{self.review.id}\?access_token=\w+"
        )
        # An e-mail to Alice, with both files (the internal attendee is
        # notified as his preferences say).
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertIn(self.alice, mails.recipient_ids)
        self.assertEqual(set(mails.mapped(lambda m: len(m.attachment_ids))), {2})
        self.assertGreater(self._counts()["mails"], before["mails"])
        # Frozen.
        self.assertEqual(self.review.state, "minutes_sent")
        self.assertTrue(self.review.minutes_sent_date)

    def test_send_again_keeps_the_first_date(self):
        self._send()
        sent_date = self.review.minutes_sent_date
        self._send()
        self.assertEqual(self.review.state, "minutes_sent")
        self.assertEqual(self.review.minutes_sent_date, sent_date)
        sent = self.env["mail.message"].search_count(
            [
                ("model", "=", "slm.review"),
                ("res_id", "=", self.review.id),
                ("attachment_ids", "!=", False),
            ]
        )
        self.assertEqual(sent, 2)

    def test_plain_messages_do_not_freeze(self):
        """A note or a message posted on the review is not sending the minutes."""
        self.review.with_user(self.user_analyst).message_post(
            body="Agenda sent around", message_type="comment"
        )
        self.assertEqual(self.review.state, "held")
        self.assertFalse(self.review.minutes_sent_date)

    def test_recipients(self):
        """Customer attendees and internal attendees, those with an e-mail."""
        self.assertEqual(
            self.review.minutes_recipient_ids, self.alice | self.owner.partner_id
        )
        self.bob.email = "not an address"
        self.review.invalidate_recordset(["minutes_recipient_ids"])
        self.assertEqual(
            self.review.minutes_recipient_ids, self.alice | self.owner.partner_id
        )
        self.bob.email = "bob@review-customer.example.com"
        self.review.invalidate_recordset(["minutes_recipient_ids"])
        self.assertEqual(
            self.review.minutes_recipient_ids,
            self.alice | self.bob | self.owner.partner_id,
        )
        self.assertTrue(re.match(r"^/my/slm/reviews/\d+$", self.review.access_url))
