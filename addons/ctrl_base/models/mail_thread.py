# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import models, tools

from ..tools.bulk import copy_rows


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
        copy_rows(self.env["mail.message"], message.id, {
            "res_id": rest.ids,
            "message_id": [tools.mail.generate_tracking_message_id(f"{res_id}-{self._name}") for res_id in rest.ids],
            "body": [str(bodies[res_id]) for res_id in rest.ids],
        })
        rest.invalidate_recordset(["message_ids", "message_needaction", "message_needaction_counter"])
