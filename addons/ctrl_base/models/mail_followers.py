# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def _ctrl_insert_many(self, res_model, res_ids, partner_ids):
        """Make ``partner_ids`` follow the ``res_ids`` of ``res_model`` with
        their default subtypes, as ``message_subscribe`` does, in two
        statements: batches subscribe thousands of documents at once (each
        activity subscribes its user). Existing followers are left as they are."""
        if not res_ids or not partner_ids:
            return
        default, _internal, external = self.env["mail.message.subtype"].default_subtypes(res_model)
        customers = set(self.env["res.partner"].sudo().search(
            [("id", "in", list(partner_ids)), ("partner_share", "=", True)]).ids)
        self.flush_model()
        self.env.cr.execute(SQL(
            """
            WITH new AS (
                INSERT INTO mail_followers (res_model, res_id, partner_id)
                SELECT %(model)s, res_id, partner_id
                  FROM unnest(%(res_ids)s::int[]) res_id CROSS JOIN unnest(%(partners)s::int[]) partner_id
                ON CONFLICT DO NOTHING
                RETURNING id, partner_id
            )
            INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
            SELECT new.id, subtype_id FROM new
             CROSS JOIN LATERAL unnest(CASE WHEN new.partner_id = ANY(%(customers)s) THEN %(external)s::int[]
                                            ELSE %(default)s::int[] END) subtype_id
            """,
            model=res_model, res_ids=sorted(set(res_ids)), partners=sorted(set(partner_ids)),
            customers=sorted(customers), external=external.ids, default=default.ids,
        ))
        self.invalidate_model()
        if "message_follower_ids" in self.env[res_model]._fields:
            self.env[res_model].browse(res_ids).invalidate_recordset(["message_follower_ids"])
