# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import SQL

from ..tools.bulk import copy_rows

# What send_mail_batch renders.
RENDER_FIELDS = ("attachment_ids", "auto_delete", "body_html", "email_cc", "email_from", "email_to", "mail_server_id",
                 "model", "partner_to", "reply_to", "report_template_ids", "res_id", "scheduled_date", "subject")
# The recipients, stored in relations: {key of the rendered values: (model, field)}.
RECIPIENTS = {"partner_ids": ("mail.message", "partner_ids"), "recipient_ids": ("mail.mail", "recipient_ids")}


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def _ctrl_queue_many(self, res_ids):
        """Queue this template's mail (never sent inline) for each of
        ``res_ids`` (thousands, in scheduled actions), as
        ``send_mail_batch(force_send=False)`` does. Odoo renders every mail
        and creates the first; the others copy its message and mail rows in
        one INSERT each, with their own rendered values, Message-Id, reply-to
        and recipients. Templates with a layout or attachments, and values
        this does not know, go Odoo's way."""
        self.ensure_one()
        if len(res_ids) < 2 or self.email_layout_xmlid or self.attachment_ids or self.report_template_ids:
            return self.send_mail_batch(res_ids, force_send=False, raise_exception=False)
        first = self.send_mail_batch(res_ids[:1], force_send=False, raise_exception=False)
        rest = list(res_ids[1:])
        self._send_check_access(rest)
        rendered = self._generate_template(rest, RENDER_FIELDS)
        values_list = [self._ctrl_mail_values(rendered[res_id]) for res_id in rest]
        Mail, Message = self.env["mail.mail"].sudo(), self.env["mail.message"].sudo()
        known = set(Message._fields) | set(Mail._fields) | set(RECIPIENTS)
        if any(set(values) - known for values in values_list) or any(values.get("attachment_ids")
                                                                      for values in values_list):
            return first + Mail.create(values_list)
        message_columns, mail_columns = self._ctrl_mail_columns(values_list)
        message_ids = copy_rows(Message, first.mail_message_id.id, message_columns)
        mail_ids = copy_rows(Mail, first.id, dict(mail_columns, mail_message_id=message_ids))
        self._ctrl_link_recipients(values_list, {"mail.message": message_ids, "mail.mail": mail_ids})
        # Also forgets the documents' messages (the inverse of res_id), as mail.message's create does.
        Message.invalidate_model()
        return first + Mail.browse(mail_ids)

    def _ctrl_mail_values(self, values):
        """The values send_mail_batch and mail.mail's and mail.message's create
        make of a rendered mail."""
        Message = self.env["mail.message"].sudo()
        values = dict(values, recipient_ids=values.get("partner_ids") or [], body=values["body_html"])
        values.pop("attachments", None)
        if not values.get("email_from"):
            values["email_from"] = Message.default_get(["email_from"])["email_from"]
        values["message_id"] = Message._get_message_id(values)
        if "reply_to" not in values:
            values["reply_to"] = Message._get_reply_to(values)
        values["record_name"] = Message._get_record_name(values)
        parsed = values.get("scheduled_date") and self.env["mail.mail"]._parse_scheduled_datetime(
            values["scheduled_date"])
        values["scheduled_date"] = parsed.replace(tzinfo=None) if parsed else False
        return values

    def _ctrl_mail_columns(self, values_list):
        """{column: [value of each mail]} of the message rows and of the mail
        rows, converted as the ORM stores them (the message body sanitized)."""
        Mail, Message = self.env["mail.mail"].sudo(), self.env["mail.message"].sudo()
        message_columns, mail_columns = {}, {}
        for name in values_list[0]:
            if name in RECIPIENTS or name == "attachment_ids":
                continue
            model = Message if name in Message._fields else Mail
            field = model._fields[name]
            if not (field.store and field.column_type) or (model is Mail and field.inherited):
                continue
            columns = message_columns if model is Message else mail_columns
            columns[name] = [field.convert_to_column(values.get(name), model) for values in values_list]
        return message_columns, mail_columns

    def _ctrl_link_recipients(self, values_list, ids_of):
        """Write the recipients' relation rows of the copied messages and mails."""
        for key, (model_name, field_name) in RECIPIENTS.items():
            field = self.env[model_name]._fields[field_name]
            pairs = [(record_id, partner_id) for record_id, values in zip(ids_of[model_name], values_list)
                     for partner_id in values.get(key) or []]
            if pairs:
                self.env.cr.execute(SQL(
                    "INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s::int[], %s::int[]) ON CONFLICT DO NOTHING",
                    SQL.identifier(field.relation), SQL.identifier(field.column1), SQL.identifier(field.column2),
                    [pair[0] for pair in pairs], [pair[1] for pair in pairs]))
