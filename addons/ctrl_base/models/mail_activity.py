# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models


class MailActivity(models.Model):
    _name = "mail.activity"
    _inherit = ["mail.activity", "ctrl.bulk.mixin"]

    @api.model
    def _ctrl_create_batch(self, vals_list):
        """Create activities by the thousand (scheduled actions) in one
        INSERT, with what Odoo's create gives them: the assignees follow the
        documents (set-based SQL), the document name and the assignee's time
        zone are stored, and each assignee with a task due today is told
        once. No "assigned to you" mail per activity. Values as for create;
        ``automated`` defaults to True, as in ``activity_schedule``.
        Returns the activities (sudo)."""
        if not vals_list:
            return self.sudo().browse()
        Model = self.env["ir.model"].sudo()
        model_of = {model_id: Model.browse(model_id).model for model_id in {vals["res_model_id"] for vals in vals_list}}
        users = self.env["res.users"].sudo().browse(
            {vals.get("user_id") or self.env.uid for vals in vals_list})
        partner_of = {user.id: user.partner_id.id for user in users}
        tz_of = {user.id: user.tz for user in users}
        targets, documents = defaultdict(set), defaultdict(set)
        for vals in vals_list:
            model = model_of[vals["res_model_id"]]
            targets[model, partner_of[vals.get("user_id") or self.env.uid]].add(vals["res_id"])
            documents[model].add(vals["res_id"])
        for (model, partner_id), res_ids in targets.items():
            self.env["mail.followers"]._ctrl_insert_many(model, res_ids, [partner_id])
        names = {(model, record.id): record.display_name
                 for model, res_ids in documents.items() for record in self.env[model].sudo().browse(res_ids)}
        today = fields.Date.context_today(self)
        rows = []
        for vals in vals_list:
            model, user_id = model_of[vals["res_model_id"]], vals.get("user_id") or self.env.uid
            rows.append({
                "automated": True, "date_deadline": today, **vals, "user_id": user_id, "res_model": model,
                "res_name": names[model, vals["res_id"]], "user_tz": tz_of[user_id], "date_done": False,
            })
        activities = self.sudo()._ctrl_insert_rows(rows)
        for model in documents:
            self.env[model].invalidate_model([name for name in self.env[model]._fields if name.startswith("activity_")])
        due_today = {row["user_id"] for row in rows if fields.Date.to_date(row["date_deadline"]) <= today}
        if due_today:
            users.browse(due_today)._bus_send("mail.activity/updated", {"activity_created": True})
        return activities
