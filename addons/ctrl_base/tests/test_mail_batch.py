# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo.tests import tagged

from .common import CtrlBaseCase


@tagged("post_install", "-at_install")
class TestMailBatch(CtrlBaseCase):
    """The batch helpers of scheduled actions give what Odoo's own calls give."""

    def setUp(self):
        super().setUp()
        self.records = self.Record.create([{"name": f"Record {i}"} for i in range(3)])

    def _followers(self, record):
        return {follower.partner_id: follower.subtype_ids for follower in record.message_follower_ids}

    def test_log_many_matches_odoo_log(self):
        reference = self.Record.create({"name": "Reference"})
        body = Markup("<p>Escalation: level reached.</p>")
        expected = reference._message_log_batch(bodies={reference.id: body})
        self.records._ctrl_log_many(body)
        compared = ["body", "author_id", "email_from", "message_type", "subtype_id", "model", "is_internal",
                    "record_name", "reply_to", "record_company_id"]
        message_ids = set()
        for record in self.records:
            message = record.message_ids.filtered(lambda m: m.body == body)
            self.assertEqual(len(message), 1, "one note per record")
            self.assertEqual(message.res_id, record.id)
            for name in compared:
                self.assertEqual(message[name], expected[name], name)
            message_ids.add(message.message_id)
        self.assertEqual(len(message_ids), 3, "each note has its own Message-Id")
        self.assertNotIn(expected.message_id, message_ids)

    def test_log_many_on_nothing(self):
        before = self.env["mail.message"].search_count([])
        self.Record.browse()._ctrl_log_many(Markup("<p>x</p>"))
        self.assertEqual(self.env["mail.message"].search_count([]), before)

    def test_create_batch_subscribes_like_odoo(self):
        # What Odoo's per-document subscription gives the clerk...
        reference = self.Record.create({"name": "Reference"})
        reference.message_subscribe(partner_ids=self.clerk.partner_id.ids)
        expected = self._followers(reference)[self.clerk.partner_id]
        # ...the batch gives on every document, with one activity each.
        model_id = self.env["ir.model"]._get_id(self.Record._name)
        activity_type = self.env.ref("ctrl_base.mail_activity_type_escalation")
        activities = self.env["mail.activity"]._ctrl_create_batch([{
            "res_model_id": model_id, "res_id": record.id, "activity_type_id": activity_type.id,
            "user_id": self.clerk.id, "summary": "Call",
        } for record in self.records])
        self.assertEqual(len(activities), 3)
        self.assertEqual(set(activities.mapped("res_id")), set(self.records.ids))
        for record in self.records:
            self.assertEqual(record.activity_ids.user_id, self.clerk)
            self.assertEqual(self._followers(record)[self.clerk.partner_id], expected)

    def test_create_batch_keeps_existing_followers(self):
        record = self.records[0]
        note = self.env.ref("mail.mt_note")
        record.message_subscribe(partner_ids=self.gm.partner_id.ids, subtype_ids=note.ids)
        self.env["mail.activity"]._ctrl_create_batch([{
            "res_model_id": self.env["ir.model"]._get_id(self.Record._name), "res_id": record.id,
            "activity_type_id": self.env.ref("ctrl_base.mail_activity_type_escalation").id,
            "user_id": self.gm.id, "summary": "Visit",
        }])
        self.assertEqual(self._followers(record)[self.gm.partner_id], note, "chosen subtypes are kept")
        self.assertEqual(len(record.message_follower_ids.filtered(lambda f: f.partner_id == self.gm.partner_id)), 1)
