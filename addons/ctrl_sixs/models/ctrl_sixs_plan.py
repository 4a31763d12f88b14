# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import zlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

TIERS = [
    ("self_check", "Daily self-check"),
    ("routine", "Routine inspection"),
    ("unscheduled", "Unscheduled inspection"),
    ("weekly_committee", "Weekly committee"),
    ("monthly", "Monthly re-verification"),
    ("half_yearly", "Half-yearly top management"),
    ("warehouse", "Warehouse check"),
]
WEEKDAY_FIELDS = ["day_mon", "day_tue", "day_wed", "day_thu", "day_fri", "day_sat", "day_sun"]
# seed-001 §3.1, §10 #5, #17, #21-#23
TIER_DEFAULTS = {
    "self_check": {"days": range(7), "times": 1},
    "routine": {"days": (1, 3), "times": 1},
    "unscheduled": {"days": (), "times": 1, "per_week": 2},
    "weekly_committee": {"days": (4,), "times": 1},
    "monthly": {"days": (), "times": 1, "month_day": 25},
    "half_yearly": {"days": (), "times": 1, "month_day": 15},
    "warehouse": {"days": range(7), "times": 3},
}


class CtrlSixsPlan(models.Model):
    """A recurring audit plan: which areas, which tier, when, and by whom."""

    _name = "ctrl.sixs.plan"
    _description = "6S Audit Plan"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    tier = fields.Selection(TIERS, required=True, default="routine", tracking=True)
    area_ids = fields.Many2many("ctrl.sixs.area", string="Areas", required=True)
    template_id = fields.Many2one("ctrl.sixs.template", help="Empty: each area's zone-type template.")
    day_mon = fields.Boolean("Mon")
    day_tue = fields.Boolean("Tue", default=True)
    day_wed = fields.Boolean("Wed")
    day_thu = fields.Boolean("Thu", default=True)
    day_fri = fields.Boolean("Fri")
    day_sat = fields.Boolean("Sat")
    day_sun = fields.Boolean("Sun")
    times_per_day = fields.Integer(default=1, help="Audits per area and day (warehouse: 3).")
    per_week = fields.Integer("Unscheduled audits per week", default=2, help="At least two a week.")
    month_day = fields.Integer("Day of month", default=25, help="Monthly and half-yearly tiers.")
    inspector_employee_ids = fields.Many2many("hr.employee", string="Inspector team")
    inspector_user_ids = fields.Many2many("res.users", string="Inspector users")
    date_start = fields.Date(required=True, default=fields.Date.context_today)
    date_end = fields.Date()
    next_date = fields.Date("Next date", help="First day the scheduled action has not generated yet.")
    audit_ids = fields.One2many("ctrl.sixs.audit", "plan_id")
    audit_count = fields.Integer(compute="_compute_audit_count")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    @api.onchange("tier")
    def _onchange_tier(self):
        defaults = TIER_DEFAULTS.get(self.tier)
        if defaults:
            for index, name in enumerate(WEEKDAY_FIELDS):
                self[name] = index in defaults["days"]
            self.times_per_day = defaults["times"]
            self.per_week = defaults.get("per_week", self.per_week)
            self.month_day = defaults.get("month_day", self.month_day)

    @api.constrains("times_per_day", "per_week", "month_day", "date_start", "date_end")
    def _check_recurrence(self):
        for plan in self:
            if plan.times_per_day < 1 or plan.per_week < 0 or not 1 <= plan.month_day <= 28:
                raise ValidationError(self.env._(
                    "Audit plan %(plan)s: times per day must be at least 1, audits per week not negative and "
                    "the day of month between 1 and 28.", plan=plan.name))
            if plan.date_end and plan.date_end < plan.date_start:
                raise ValidationError(self.env._("Audit plan %(plan)s: the end date is before the start date.",
                                                 plan=plan.name))

    def _compute_audit_count(self):
        counts = dict(self.env["ctrl.sixs.audit"]._read_group([("plan_id", "in", self.ids)], ["plan_id"],
                                                              ["__count"]))
        for plan in self:
            plan.audit_count = counts.get(plan, 0)

    def _slots_on(self, day):
        """Number of audits per area the plan schedules on ``day`` (0 when none)."""
        self.ensure_one()
        if day < self.date_start or (self.date_end and day > self.date_end):
            return 0
        if self.tier == "unscheduled":
            # Unannounced, but reproducible: the week's days come from a hash of (plan, ISO week).
            year, week, weekday = day.isocalendar()
            seed = zlib.crc32(f"{self.id}-{year}-{week}".encode())
            days = sorted({(seed >> (3 * i)) % 5 for i in range(8)})[: self.per_week or 0]
            return self.times_per_day if weekday - 1 in days else 0
        if self.tier == "monthly":
            return self.times_per_day if day.day == self.month_day else 0
        if self.tier == "half_yearly":
            return self.times_per_day if day.month in (1, 7) and day.day == self.month_day else 0
        return self.times_per_day if self[WEEKDAY_FIELDS[day.weekday()]] else 0

    def _due_keys(self, date_to):
        """(plan, area, date, slot) keys due from ``next_date`` (or start) to ``date_to``."""
        self.ensure_one()
        day = max(self.next_date or self.date_start, self.date_start)
        keys = []
        while day <= date_to:
            for slot in range(1, self._slots_on(day) + 1):
                keys.extend((self.id, area.id, day, slot) for area in self.area_ids)
            day += timedelta(days=1)
        return keys

    def action_view_audits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_sixs.ctrl_sixs_audit_action")
        action["domain"] = [("plan_id", "=", self.id)]
        return action
