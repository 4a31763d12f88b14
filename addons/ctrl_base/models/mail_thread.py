# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import models, tools
from odoo.tools import SQL


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _ctrl_log_many(self, body):
        """Log a note on the chatter of every record of ``self`` (thousands,
        in scheduled actions): ``body`` is the same for all, or one per
        record, {res_id: body}. Odoo writes the first one
        (``_message_log_batch``: every column as it computes it); the others
        copy its row in one INSERT, with their own record, Message-Id and
        body. Bodies are Markup built with escaped values, or plain text
        (made a paragraph, as Odoo's sanitizer would)."""
        if not self:
            return
        bodies = {res_id: text if isinstance(text, Markup) else tools.plaintext2html(text) for res_id, text in
                  (body if isinstance(body, dict) else dict.fromkeys(self.ids, body)).items()}
        first, rest = self[:1], self[1:]
        message = first._message_log_batch(bodies={first.id: bodies[first.id]})
        if not rest:
            return
        Message = self.env["mail.message"]
        Message.flush_model()
        columns = [name for name, field in Message._fields.items()
                   if field.store and field.column_type and name not in ("id", "res_id", "message_id", "body")]
        copied = SQL(", ").join(SQL.identifier("message", name) for name in columns)
        self.env.cr.execute(SQL(
            """INSERT INTO mail_message (res_id, message_id, body, %(names)s)
               SELECT target.res_id, target.message_id, target.body, %(copied)s
                 FROM mail_message message,
                      unnest(%(res_ids)s::int[], %(message_ids)s::varchar[], %(bodies)s::text[])
                      AS target(res_id, message_id, body)
                WHERE message.id = %(message)s""",
            names=SQL(", ").join(SQL.identifier(name) for name in columns), copied=copied,
            res_ids=rest.ids, message=message.id, bodies=[str(bodies[res_id]) for res_id in rest.ids],
            message_ids=[tools.mail.generate_tracking_message_id(f"{res_id}-{self._name}") for res_id in rest.ids],
        ))
        rest.invalidate_recordset(["message_ids", "message_needaction", "message_needaction_counter"])
