# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class CtrlBackupAccessReview(models.Model):
    """Quarterly access review: each manager confirms their people's groups (seed 002-004 Part D #5)."""

    _name = "ctrl.backup.access.review"
    _description = "Access Review"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period desc, id desc"
    _rec_names_search = ["period", "department_id", "reviewer_id"]

    # Generated, so rendered in the reader's language (not stored in the language it was computed in).
    name = fields.Char(compute="_compute_name", search="_search_name")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    period = fields.Date(required=True, help="First day of the reviewed quarter.")
    department_id = fields.Many2one("hr.department")
    reviewer_id = fields.Many2one("res.users", required=True, tracking=True)
    line_ids = fields.One2many("ctrl.backup.access.review.line", "review_id")
    state = fields.Selection([("open", "Open"), ("done", "Confirmed")], default="open", required=True,
                             tracking=True)
    confirmed_on = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("review_uniq", "unique(reviewer_id, department_id, period)", "One review per manager and quarter."),
    ]

    @api.depends("reviewer_id", "period", "department_id")
    @api.depends_context("lang")
    def _compute_name(self):
        for review in self:
            review.name = self.env._("Access review %(period)s: %(dept)s", period=review.period,
                                     dept=review.department_id.name or review.reviewer_id.name or "")

    def _search_name(self, operator, value):
        return self._search_display_name(operator, value)

    @api.model
    def _quarter_start(self, day):
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)

    @api.model
    def _cron_generate(self):
        """One review per department manager per quarter, listing their people's users and groups."""
        period = self._quarter_start(fields.Date.context_today(self))
        reviews = self.browse()
        live = self.env["res.company"]._ctrl_live_companies()
        for department in self.env["hr.department"].search([("manager_id.user_id", "!=", False)]):
            if (department.company_id or self.env.company) not in live:
                continue
            users = department.member_ids.user_id.filtered(lambda u: u.active and not u.share)
            if not users:
                continue
            reviewer = department.manager_id.user_id
            if self.search_count([("reviewer_id", "=", reviewer.id), ("department_id", "=", department.id),
                                  ("period", "=", period)]):
                continue
            review = self.create({
                "period": period, "department_id": department.id, "reviewer_id": reviewer.id,
                "company_id": department.company_id.id or self.env.company.id,
                "line_ids": [fields.Command.create({"user_id": user.id, "group_ids": [fields.Command.set(
                    user.groups_id.filtered(lambda g: not g.share).ids)]}) for user in users],
            })
            review.activity_schedule("mail.mail_activity_data_todo", user_id=reviewer.id,
                                     summary=_("Confirm your people's access rights"))
            reviews |= review
        return reviews

    def action_confirm(self):
        for review in self:
            if self.env.user != review.reviewer_id and not self.env.user.has_group(
                    "ctrl_backup.group_backup_manager"):
                raise AccessError(_("Only %s (the reviewing manager) confirms this review.", review.reviewer_id.name))
            undecided = review.line_ids.filtered(lambda line: not line.decision)
            if undecided:
                raise UserError(_("Decide Keep, Change or Remove for: %s.",
                                  ", ".join(undecided.user_id.mapped("name"))))
            unexplained = review.line_ids.filtered(lambda line: line.decision != "keep" and not line.note)
            if unexplained:
                names = ", ".join(unexplained.user_id.mapped("name"))
                raise UserError(_("Say what must change for: %s (Note).", names))
            review.sudo().write({"state": "done", "confirmed_on": fields.Datetime.now()})
            review.sudo().activity_ids.action_feedback(feedback=_("Confirmed"))
        return True

