# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models, tools
from odoo.tools import SQL


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _ctrl_log_many(self, body):
        """Log the same note on the chatter of every record of ``self``
        (thousands, in scheduled actions). Odoo writes the first one
        (``_message_log_batch``: every column as it computes it); the others
        copy its row in one INSERT, with their own record and Message-Id."""
        if not self:
            return
        first, rest = self[:1], self[1:]
        message = first._message_log_batch(bodies={first.id: body})
        if not rest:
            return
        Message = self.env["mail.message"]
        Message.flush_model()
        columns = [name for name, field in Message._fields.items()
                   if field.store and field.column_type and name not in ("id", "res_id", "message_id")]
        copied = SQL(", ").join(SQL.identifier("message", name) for name in columns)
        self.env.cr.execute(SQL(
            """INSERT INTO mail_message (res_id, message_id, %(names)s)
               SELECT target.res_id, target.message_id, %(copied)s
                 FROM mail_message message, unnest(%(res_ids)s::int[], %(message_ids)s::varchar[])
                      AS target(res_id, message_id)
                WHERE message.id = %(message)s""",
            names=SQL(", ").join(SQL.identifier(name) for name in columns), copied=copied,
            res_ids=rest.ids, message=message.id,
            message_ids=[tools.mail.generate_tracking_message_id(f"{res_id}-{self._name}") for res_id in rest.ids],
        ))
        rest.invalidate_recordset(["message_ids", "message_needaction", "message_needaction_counter"])
