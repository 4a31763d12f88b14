# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

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
    ("office_fine", "Office fine"),
    ("leniency", "Inspector leniency"),
    ("fixed_fine", "Fixed fine"),
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
    _inherit = ["mail.thread", "ctrl.lifecycle.mixin", "ctrl.document.mixin"]
    _order = "date desc, id desc"

    # A row is posted as booked; an innovation bonus starts as a draft and is posted
    # by the workshop head's approval (a rejection returns it to draft).
    _ctrl_approval_kind = "sixs_bonus"
    _ctrl_submitted_state = "pending"
    _ctrl_approved_state = "posted"
    _ctrl_draft_states = ("draft",)
    _ctrl_protected_fields = ("res_model", "res_id")
    _ctrl_content_fields = ("name", "date", "employee_id", "area_id", "points", "amount", "reason_code",
                            "fine_step", "offence_id", "company_id")

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
        help="Office fines: the ladder warning → 5 → 10 → 40.")
    state = fields.Selection(
        [("draft", "Draft"), ("pending", "Pending approval"), ("posted", "Posted"), ("cancelled", "Cancelled")],
        default="posted", required=True, index=True, tracking=True)
    # V15/V16 (§10 #45-#48): a fixed fine names its offence; the amount is the offence's.
    offence_id = fields.Many2one("ctrl.sixs.offence", "Offence", index="btree_not_null", ondelete="restrict",
                                 tracking=True)
    res_model = fields.Char("Source model", readonly=True)
    res_id = fields.Many2oneReference("Source id", model_field="res_model", readonly=True)
    week = fields.Char(compute="_compute_period", store=True, index=True)
    month = fields.Char(compute="_compute_period", store=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    def init(self):
        # The daily missed-assessment step books one row per area, day and reason.
        self.env.cr.execute("""CREATE UNIQUE INDEX IF NOT EXISTS ctrl_sixs_point_missed_assessment_uniq
                               ON ctrl_sixs_point (area_id, date, reason_code)
                               WHERE res_model = 'ctrl.sixs.area'""")

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
            if reason == "fixed_fine" or vals.get("offence_id"):
                self._fixed_fine_vals(vals, company)
            if reason == "bonus":
                # A bonus is never booked directly: it starts as a draft and goes to approval.
                vals["state"] = "draft"
            vals.setdefault("name", dict(REASONS).get(reason, reason))
        points = super().create(vals_list)
        points.filtered(lambda p: p.reason_code == "bonus")._ctrl_sixs_submit_bonus()
        return points

    @api.model
    def _ctrl_check_protected_create(self, vals_list):
        # The draft state that create() gives a bonus is its workflow's, not the client's.
        return super()._ctrl_check_protected_create([
            {key: value for key, value in vals.items()
             if not (key == "state" and value == "draft" and vals.get("reason_code") == "bonus")}
            for vals in vals_list])

    def action_submit(self):
        """Submit a draft bonus (e.g. corrected after a rejection) to the workshop head again."""
        if not self.env.su and not self.env.user.has_group("ctrl_sixs.group_sixs_inspector"):
            raise AccessError(self.env._("Only 6S inspectors submit innovation bonuses."))
        self.check_access("read")
        return self._ctrl_sixs_submit_bonus()

    def _ctrl_sixs_submit_bonus(self):
        for point in self:
            if point.reason_code != "bonus":
                raise UserError(self.env._(
                    "%(name)s is not an innovation bonus: only bonuses go to approval. Set the reason to "
                    "'Innovation bonus', or delete the draft.", name=point.name))
            point._check_bonus()
            point._ctrl_submit(amount=0.0, reason=self.env._("Innovation bonus: %(name)s", name=point.name))
        return True

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

    @api.constrains("reason_code", "offence_id", "amount", "points", "employee_id")
    def _check_fixed_fine(self):
        """A draft row edited into a fixed fine is held to the same rules as a new one."""
        for point in self.filtered(lambda p: p.reason_code == "fixed_fine" or p.offence_id):
            vals = {"reason_code": point.reason_code, "offence_id": point.offence_id.id,
                    "employee_id": point.employee_id.id, "amount": point.amount, "points": point.points,
                    "name": point.name}
            self._fixed_fine_vals(vals, point.company_id, booked=True)

    def _fixed_fine_vals(self, vals, company, booked=False):
        """A fixed fine: an employee, an offence of the company's table, and the offence's
        amount (a different amount is refused: the table says what it costs)."""
        offence = self.env["ctrl.sixs.offence"].sudo().browse(vals.get("offence_id")).exists()
        if vals.get("reason_code") != "fixed_fine":
            raise ValidationError(self.env._(
                "Offence %(offence)s: a ledger row with an offence is a fixed fine. Set the reason to 'Fixed fine', "
                "or remove the offence.", offence=offence.name or ""))
        if not offence:
            raise ValidationError(self.env._(
                "Fixed fine: choose the 'Offence' (the table of offences gives the amount)."))
        if offence.company_id and offence.company_id != company:
            raise ValidationError(self.env._(
                "Fixed fine: the offence %(offence)s belongs to %(other)s, not to %(company)s. Choose an offence of "
                "this company or a shared one.", offence=offence.name, other=offence.company_id.name,
                company=company.name))
        if not offence.active and not booked:
            raise ValidationError(self.env._(
                "Fixed fine: the offence %(offence)s is archived. Choose an offence in use.", offence=offence.name))
        if not vals.get("employee_id"):
            raise ValidationError(self.env._(
                "Fixed fine for %(offence)s: choose the 'Employee' fined (for a visitor, the host who received "
                "the visitor).", offence=offence.name))
        amount = -offence.amount
        currency = company.currency_id
        if "amount" in vals and currency.compare_amounts(vals["amount"] or 0.0, amount):
            raise ValidationError(self.env._(
                "Fixed fine for %(offence)s: the 'Fine / reward' is %(fixed)s, the offence's fixed amount, not "
                "%(given)s. Leave it empty; a manager changes the amount in the table of offences.",
                offence=offence.name, fixed=currency.format(amount), given=currency.format(vals["amount"] or 0.0)))
        if vals.get("points"):
            raise ValidationError(self.env._(
                "Fixed fine for %(offence)s: a fixed fine costs money, not points. Leave 'Points' at 0, or book the "
                "points in a separate row.", offence=offence.name))
        vals["amount"] = currency.round(amount)
        vals.setdefault("name", self.env._("Fixed fine: %(offence)s", offence=offence.name))

    def _check_bonus(self):
        for point in self:
            high = point.company_id.ctrl_sixs_bonus_max
            if not 0 < point.points <= high or point.points != int(point.points):
                raise ValidationError(self.env._(
                    "Innovation bonus %(name)s: %(points)s points is not allowed. Give +1 to +%(high)s "
                    "whole points per improvement.", name=point.name, points=point.points, high=int(high)))

    # ------------------------------------------------------------------
    # Missed daily assessments (V14, §10 #34, #36)
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_sixs_is_working_day(self, day, company):
        """True when the company's working calendar has work on ``day`` (public holidays
        excluded); every day is a working day without a calendar."""
        calendar = company.resource_calendar_id
        if not calendar:
            return True
        tz = pytz.timezone(calendar.tz or "UTC")
        start = tz.localize(datetime.combine(day, time.min))
        end = tz.localize(datetime.combine(day, time.max))
        return bool(calendar._work_intervals_batch(start, end)[False])

    @api.model
    def _ctrl_sixs_missed_processes(self, day, company):
        """Process areas whose daily self-check of ``day`` is missing (a self-check plan
        schedules one and no audit exists) or not done (still draft)."""
        plans = self.env["ctrl.sixs.plan"].sudo().search([
            ("company_id", "=", company.id), ("tier", "=", "self_check"), ("active", "=", True)])
        expected = plans.filtered(lambda plan: plan._slots_on(day)).area_ids.process_area_id
        self.env["ctrl.sixs.audit"].flush_model(["company_id", "tier", "scheduled_date", "process_area_id", "state"])
        self.env.cr.execute(SQL(
            """SELECT process_area_id, bool_or(state = 'draft') FROM ctrl_sixs_audit
                WHERE company_id = %s AND tier = 'self_check' AND scheduled_date = %s
                  AND process_area_id IS NOT NULL
                GROUP BY process_area_id""", company.id, day))
        done = dict(self.env.cr.fetchall())
        missed = {area.id for area in expected if area.id not in done} | {a for a, draft in done.items() if draft}
        return self.env["ctrl.sixs.area"].sudo().browse(missed).filtered(lambda a: a.active and a.level == "process")

    @api.model
    def _ctrl_sixs_missed_assessments(self, day, company):
        """Ledger rows for ``day``: the process leader of each process that missed its daily
        self-check, and the head of each department with such a process. One row per area,
        day and reason (checked here, and a unique index for the rows this step writes)."""
        if not self._ctrl_sixs_is_working_day(day, company):
            return self.browse()
        processes = self._ctrl_sixs_missed_processes(day, company)
        departments = processes.department_area_id
        booked = {(p.area_id.id, p.reason_code) for p in self.sudo().search([
            ("date", "=", day), ("area_id", "in", (processes | departments).ids),
            ("reason_code", "in", ("leader_missed_assessment", "head_missed_assessment"))])}
        labels = dict(self._fields["reason_code"]._description_selection(self.env))
        vals = []
        for areas, reason in ((processes, "leader_missed_assessment"), (departments, "head_missed_assessment")):
            for area in areas.filtered(lambda a, r=reason: a.responsible_id and (a.id, r) not in booked):
                vals.append({"date": day, "area_id": area.id, "employee_id": area.responsible_id.id,
                             "reason_code": reason, "res_model": "ctrl.sixs.area", "res_id": area.id,
                             "company_id": company.id, "name": self.env._(
                                 "%(reason)s: %(area)s on %(date)s", reason=labels[reason],
                                 area=area.display_name, date=day)})
        return self.sudo().create(vals)

    @api.model
    def _cron_missed_assessments(self):
        yesterday = fields.Date.context_today(self) - timedelta(days=1)
        for company in self.env["res.company"]._ctrl_live_companies():
            self._ctrl_sixs_missed_assessments(yesterday, company)
