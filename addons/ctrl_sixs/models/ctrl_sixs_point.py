# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

REASONS = [
    ("finding", "Finding"),
    ("late_action", "Late corrective action"),
    ("failed_verification", "Failed verification"),
    ("bonus", "Innovation bonus"),
    ("duty_threshold", "Duty officer: process over the daily threshold"),
    ("duty_clean_day", "Duty officer: clean day"),
    ("leader_missed_assessment", "Leader: missed daily staff assessment"),
    ("leader_missed_briefing", "Leader: missed 6S briefing"),
    ("head_no_training", "Head: no 6S training"),
    ("head_missed_assessment", "Head: missed assessment of process leaders"),
    ("head_missing_plan", "Head: implementation plan missing or 6S work late"),
    ("office_fine", "Office fine (乐捐)"),
    ("leniency", "Inspector leniency"),
    ("manual", "Manual"),
]
# Reason → company setting giving the points lost (sign applied below).
DEFAULT_POINTS = {
    "late_action": "ctrl_sixs_late_action_points",
    "failed_verification": "ctrl_sixs_failed_verification_points",
    "leader_missed_assessment": "ctrl_sixs_leader_missed_assessment",
    "leader_missed_briefing": "ctrl_sixs_leader_missed_briefing",
    "head_no_training": "ctrl_sixs_head_no_training",
    "head_missed_assessment": "ctrl_sixs_head_missed_assessment",
    "head_missing_plan": "ctrl_sixs_head_missing_plan",
}


class CtrlSixsPoint(models.Model):
    """The points ledger: one signed row per event (negative = points lost), per
    employee and area; the week and month are stored for grouping. Fixed fines carry
    an amount instead of points."""

    _name = "ctrl.sixs.point"
    _description = "6S Points Ledger"
    _inherit = ["mail.thread", "ctrl.approval.mixin", "ctrl.document.mixin"]
    _order = "date desc, id desc"

    name = fields.Char("Description", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    employee_id = fields.Many2one("hr.employee", index=True)
    area_id = fields.Many2one("ctrl.sixs.area", required=True, index=True, ondelete="restrict")
    process_area_id = fields.Many2one(related="area_id.process_area_id", store=True, string="Process")
    department_area_id = fields.Many2one(related="area_id.department_area_id", store=True, string="Department area")
    department_id = fields.Many2one(related="area_id.department_id", store=True)
    head_user_id = fields.Many2one(related="area_id.head_user_id", string="Workshop head")
    points = fields.Float(tracking=True)
    amount = fields.Monetary("Fine / reward", currency_field="currency_id", tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    reason_code = fields.Selection(REASONS, required=True, default="manual", index=True)
    fine_step = fields.Selection(
        [("auto", "Warning, then the standard fine"), ("reminder", "Not corrected after a reminder"),
         ("attitude", "Refuses to admit it")], default="auto",
        help="Office fines (V01): the ladder warning → 5 → 10 → 40.")
    state = fields.Selection(
        [("pending", "Pending approval"), ("posted", "Posted"), ("rejected", "Rejected"), ("cancelled", "Cancelled")],
        default="posted", required=True, index=True, tracking=True)
    res_model = fields.Char("Source model", readonly=True)
    res_id = fields.Many2oneReference("Source id", model_field="res_model", readonly=True)
    week = fields.Char(compute="_compute_period", store=True, index=True)
    month = fields.Char(compute="_compute_period", store=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    @api.depends("date")
    def _compute_period(self):
        for point in self:
            if point.date:
                year, week, _day = point.date.isocalendar()
                point.week = f"{year}-W{week:02d}"
                point.month = point.date.strftime("%Y-%m")
            else:
                point.week = point.month = False

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            reason = vals.get("reason_code", "manual")
            if reason in DEFAULT_POINTS and "points" not in vals:
                vals["points"] = -company[DEFAULT_POINTS[reason]]
            if reason == "leniency" and "amount" not in vals:
                vals["amount"] = -company.ctrl_sixs_leniency_fine
            if reason == "office_fine" and "amount" not in vals:
                vals["amount"] = -self._office_fine(vals, company)
            if reason == "bonus":
                vals["state"] = "pending"
            vals.setdefault("name", dict(REASONS).get(reason, reason))
        points = super().create(vals_list)
        for point in points.filtered(lambda p: p.reason_code == "bonus"):
            point._check_bonus()
            if not point._ctrl_request_approval(kind="sixs_bonus", amount=0.0,
                                                reason=self.env._("Innovation bonus: %(name)s", name=point.name)):
                raise UserError(self.env._("No approval rule of kind 'sixs_bonus' applies to 6S points: "
                                           "configure one in Internal Control > Configuration > Approval Rules."))
        return points

    def _office_fine(self, vals, company):
        ladder = company._ctrl_sixs_ladder("ctrl_sixs_fine_ladder") + [0.0] * 4
        step = vals.get("fine_step", "auto")
        if step == "attitude":
            return ladder[3]
        if step == "reminder":
            return ladder[2]
        date = fields.Date.to_date(vals.get("date")) or fields.Date.context_today(self)
        earlier = self.sudo().search_count([
            ("reason_code", "=", "office_fine"), ("employee_id", "=", vals.get("employee_id")),
            ("state", "=", "posted"), ("date", ">=", date.replace(day=1)), ("date", "<=", date)])
        return ladder[0] if not earlier else ladder[1]

    def _check_bonus(self):
        for point in self:
            high = point.company_id.ctrl_sixs_bonus_max
            if not 0 < point.points <= high or point.points != int(point.points):
                raise ValidationError(self.env._(
                    "Innovation bonus %(name)s: %(points)s points is not allowed. Give +1 to +%(high)s "
                    "whole points per improvement (V14).", name=point.name, points=point.points, high=int(high)))

    def _ctrl_on_approval_done(self, request):
        self.write({"state": "posted" if request.state == "approved" else "rejected"})

    def _ctrl_approval_preparer(self):
        return self.create_uid
