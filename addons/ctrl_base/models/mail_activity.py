# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model
    def _ctrl_create_batch(self, vals_list):
        """Create activities by the thousand (scheduled actions): no "assigned
        to you" mail per activity, and the assignees subscribed to the
        documents in set-based SQL first, so that Odoo's own per-document
        subscription finds them there. Returns the activities (sudo)."""
        targets = defaultdict(set)
        users = self.env["res.users"].sudo().browse({vals["user_id"] for vals in vals_list if vals.get("user_id")})
        partner_of = {user.id: user.partner_id.id for user in users}
        for vals in vals_list:
            if vals.get("user_id"):
                targets[vals["res_model_id"], partner_of[vals["user_id"]]].add(vals["res_id"])
        for (model_id, partner_id), res_ids in targets.items():
            model = self.env["ir.model"].sudo().browse(model_id).model
            self.env["mail.followers"]._ctrl_insert_many(model, res_ids, [partner_id])
        return self.sudo().with_context(mail_activity_quick_update=True).create(vals_list)
