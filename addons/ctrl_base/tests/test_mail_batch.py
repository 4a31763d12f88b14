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

    def test_queue_many_matches_odoo_send(self):
        template = self.env["mail.template"].create({
            "name": "Reminder", "model_id": self.model.id, "subject": "Reminder: {{ object.name }}",
            "partner_to": "{{ object.user_id.partner_id.id }}", "email_from": "{{ object.user_id.email_formatted }}",
            "email_cc": "cc@example.com", "auto_delete": True,
            "body_html": '<div><p>Dear <t t-out="object.user_id.name"/>,</p><p><t t-out="object.name"/></p></div>',
        })
        self.clerk.email = "clerk@example.com"
        self.records.write({"user_id": self.clerk.id})
        self.records[1].write({"name": "Record <b>1</b> & co", "user_id": self.gm.id})
        reference = template.send_mail_batch(self.records[1].ids)
        self.assertFalse(self.records[2].message_ids.filtered(lambda m: m.message_type == "email_outgoing"))
        mails = template._ctrl_queue_many(self.records.ids)
        self.assertIn(mails[2].mail_message_id, self.records[2].message_ids, "the document lists the new message")
        self.assertEqual(mails.mapped("res_id"), self.records.ids, "one mail per record, in order")
        copied = mails[1]
        self.assertNotEqual(copied.id, mails[0].id)
        # Every stored column of the copied mail (and its message) is what Odoo's own call gives.
        skipped = {"id", "mail_message_id", "message_id", "create_date", "write_date", "date"}
        for model, (mail, expected) in (("mail.mail", (copied, reference)),
                                        ("mail.message", (copied.mail_message_id, reference.mail_message_id))):
            for name, field in self.env[model]._fields.items():
                if field.store and (field.column_type or field.type == "many2many") and name not in skipped:
                    self.assertEqual(mail[name], expected[name], f"{model}.{name}")
        self.assertIn("Record &lt;b&gt;1&lt;/b&gt; &amp; co", str(copied.body))
        self.assertEqual(copied.recipient_ids, self.gm.partner_id)
        self.assertEqual(mails[2].subject, f"Reminder: {self.records[2].name}", "each mail has its own values")
        self.assertEqual(mails[2].partner_ids, self.clerk.partner_id)
        self.assertEqual(len(set(mails.mapped("message_id")) | {reference.message_id}), 4, "own Message-Ids")
        self.assertEqual(set(mails.mapped("state")), {"outgoing"}, "queued, not sent")
        self.assertEqual(self.records[2].message_ids.filtered(lambda m: m.message_type == "email_outgoing"),
                         mails[2].mail_message_id, "the document lists the message of its mail")

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

    def test_log_many_one_body_per_record(self):
        bodies = {record.id: f"Hold <{record.name}>" for record in self.records}
        self.records._ctrl_log_many(bodies)
        for record in self.records:
            note = record.message_ids.filtered(lambda m, r=record: r.name in str(m.body))
            self.assertEqual(len(note), 1, "one note per record, with its own body")
            self.assertEqual(str(note.body), f"<p>Hold &lt;{record.name}&gt;</p>", "plain text is escaped")

    def test_create_batch_stores_what_create_computes(self):
        self.clerk.tz = "Asia/Shanghai"
        model_id = self.env["ir.model"]._get_id(self.Record._name)
        activity_type = self.env.ref("ctrl_base.mail_activity_type_escalation")
        reference = self.env["mail.activity"].create({
            "res_model_id": model_id, "res_id": self.records[0].id, "activity_type_id": activity_type.id,
            "user_id": self.clerk.id, "summary": "Call", "note": "<p>Call <b>now</b></p>",
        })
        batch = self.env["mail.activity"]._ctrl_create_batch([{
            "res_model_id": model_id, "res_id": record.id, "activity_type_id": activity_type.id,
            "user_id": self.clerk.id, "summary": "Call", "note": "<p>Call <b>now</b></p>",
        } for record in self.records[1:]])
        for activity, record in zip(batch, self.records[1:]):
            self.assertEqual(activity.res_name, record.display_name)
            for name in ("res_model", "user_tz", "date_deadline", "note", "summary", "active", "date_done"):
                self.assertEqual(activity[name], reference[name], name)
            self.assertTrue(activity.automated, "created by a scheduled action, as activity_schedule marks them")
            self.assertEqual(record.activity_ids, activity, "the document lists its new activity")

    def test_create_batch_sanitizes_text_and_trusts_markup(self):
        model_id = self.env["ir.model"]._get_id(self.Record._name)
        first, second = self.env["mail.activity"]._ctrl_create_batch([{
            "res_model_id": model_id, "res_id": self.records[0].id, "user_id": self.clerk.id,
            "note": "<p>ok</p><script>alert(1)</script>",
        }, {
            "res_model_id": model_id, "res_id": self.records[1].id, "user_id": self.clerk.id,
            "note": Markup("<p>%s</p>") % "<b>escaped</b>",
        }])
        self.assertNotIn("script", str(first.note))
        self.assertEqual(str(second.note), "<p>&lt;b&gt;escaped&lt;/b&gt;</p>")


@tagged("post_install", "-at_install")
class TestInsertRows(CtrlBaseCase):
    """``_ctrl_insert_rows``: plain rows written in one statement."""

    def test_defaults_order_and_access_columns(self):
        rows = self.Record._ctrl_insert_rows([{"name": f"Row {i}", "amount_total": i} for i in range(4)])
        self.assertEqual(rows.mapped("name"), [f"Row {i}" for i in range(4)], "records in the order given")
        self.assertEqual(rows.mapped("amount_total"), [0.0, 1.0, 2.0, 3.0])
        self.assertEqual(rows.company_id, self.env.company, "the model's default")
        self.assertEqual(rows.user_id, self.env.user, "the model's default")
        self.assertEqual(rows.create_uid, self.env.user)
        self.assertTrue(all(rows.mapped("create_date")))

    def test_nothing_to_insert(self):
        self.assertFalse(self.Record._ctrl_insert_rows([]))

    def test_unknown_or_missing_computed_columns_refused(self):
        with self.assertRaisesRegex(ValueError, "not stored columns \\['nope'\\]"):
            self.Record._ctrl_insert_rows([{"name": "x", "nope": 1}])
        # mail.activity stores res_name, computed: it must be given.
        with self.assertRaisesRegex(ValueError, "res_name"):
            self.env["mail.activity"]._ctrl_insert_rows([{"res_model_id": self.model.id, "res_id": 1}])

    def test_inverse_one2many_sees_new_rows(self):
        record = self.records = self.Record.create({"name": "Parent"})
        self.assertFalse(record.activity_ids)
        self.env["mail.activity"]._ctrl_create_batch([{
            "res_model_id": self.model.id, "res_id": record.id, "user_id": self.clerk.id, "summary": "Follow up",
        }])
        self.assertEqual(record.activity_ids.summary, "Follow up")
