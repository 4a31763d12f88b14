# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Every 6S scoring parameter is a company setting; defaults from seed-001 §10."""

    _inherit = "res.company"

    # Deductions (V05, §10 #9)
    ctrl_sixs_deduction_min = fields.Integer("Lowest deduction per finding", default=2)
    ctrl_sixs_deduction_max = fields.Integer("Highest deduction per finding", default=5)
    # Evidence of a finding: a photo when an item is answered Not OK (anchors: required media on failure,
    # configurable; issue #21, the audit on a phone).
    ctrl_sixs_finding_photo = fields.Boolean(
        "Photo required for a finding", default=True,
        help="An item answered Not OK is saved only with a photo of what was found, taken with the phone's camera.")
    # Repeat offences (V14, §10 #29)
    ctrl_sixs_repeat_days = fields.Integer(
        "Repeat window (days)", default=7,
        help="A finding on the same item and employee within this many days is a repeat offence.")
    ctrl_sixs_repeat_ladder = fields.Char(
        "Repeat ladder", default="1,2,5",
        help="Points an employee loses for the same item within the repeat window: the 1st time, the 2nd time, "
        "the 3rd time. Beyond the last rung, the last rung's points again and the workshop head gets an "
        "activity to deal with it.")
    # Tolerance and money (V05, V14, §10 #10, #11, #28)
    ctrl_sixs_tolerance = fields.Float(
        "Monthly tolerance (points)", default=10.0,
        help="The first points lost in a month cost no money (-10 not included).")
    ctrl_sixs_money_mode = fields.Selection(
        [("beyond_tolerance", "Per point beyond the tolerance"), ("per_point", "Per point")],
        "Money conversion", default="beyond_tolerance")
    ctrl_sixs_money_per_point_tolerance = fields.Monetary(
        "Money per point beyond tolerance", default=2.0, currency_field="currency_id")
    ctrl_sixs_money_per_point = fields.Monetary("Money per point", default=5.0, currency_field="currency_id")
    # Roll-up (V14, §10 #34)
    ctrl_sixs_leader_share = fields.Float(
        "Process leader share (%)", default=50.0,
        help="The process leader bears this share of the process's total deduction.")
    # Corrective actions (V14 5.5, §10 #36)
    ctrl_sixs_action_days = fields.Integer(
        "Corrective action deadline (days)", default=7,
        help="Default deadline; the seed agrees the deadline per case (only the 7-day initial window is fixed).")
    ctrl_sixs_late_action_points = fields.Float("Late corrective action (points)", default=3.0)
    ctrl_sixs_failed_verification_points = fields.Float("Failed verification (points)", default=5.0)
    # Bonuses (V14, §10 #30)
    ctrl_sixs_bonus_max = fields.Float("Highest innovation bonus (points)", default=2.0)
    # Duty officer (V14, §10 #33)
    ctrl_sixs_duty_own_factor = fields.Float("Duty officer: own findings factor", default=2.0)
    ctrl_sixs_duty_threshold = fields.Float("Duty officer: daily process threshold (points)", default=2.0)
    ctrl_sixs_duty_share = fields.Float("Duty officer: share per point above the threshold (%)", default=50.0)
    ctrl_sixs_duty_clean_bonus = fields.Float("Duty officer: clean day bonus", default=1.0)
    ctrl_sixs_duty_min_months = fields.Integer("Duty officer: minimum service (months)", default=3)
    # Process leader (§10 #34)
    ctrl_sixs_leader_missed_assessment = fields.Float("Leader: missed daily staff assessment", default=3.0)
    ctrl_sixs_leader_missed_briefing = fields.Float("Leader: missed 6S briefing", default=2.0)
    # Department head (§10 #36)
    ctrl_sixs_head_no_training = fields.Float("Head: no 6S training", default=5.0)
    ctrl_sixs_head_missed_assessment = fields.Float("Head: missed assessment of process leaders", default=3.0)
    ctrl_sixs_head_missing_plan = fields.Float("Head: implementation plan missing or 6S work late", default=4.0)
    # Weekly / monthly weights (V14, §10 #40: weights not given)
    ctrl_sixs_weight_weekly = fields.Float("Weight of weekly results (%)", default=50.0)
    ctrl_sixs_weight_monthly = fields.Float("Weight of monthly results (%)", default=50.0)
    # Fines (V14, V01, §10 #4, #24)
    ctrl_sixs_leniency_fine = fields.Monetary("Inspector leniency fine", default=50.0, currency_field="currency_id")
    ctrl_sixs_fine_ladder = fields.Char(
        "Office fine ladder", default="0,5,10,40",
        help="First a warning (0), then 5 each time, 10 when not corrected after a reminder, "
        "40 for refusing to admit it.")
    # Awards (V14, §10 #31, #32, #35)
    ctrl_sixs_model_employees_max = fields.Integer("Model employees per process and month", default=2)
    ctrl_sixs_award_individual = fields.Monetary("Quarterly advanced individual", default=50.0,
                                                 currency_field="currency_id")
    ctrl_sixs_award_area_leader = fields.Monetary("Quarterly model area: leader", default=100.0,
                                                  currency_field="currency_id")
    ctrl_sixs_award_area_process = fields.Monetary("Quarterly model area: process", default=200.0,
                                                   currency_field="currency_id")
    # Discipline (V15, §10 #44)
    ctrl_sixs_discipline_week_findings = fields.Integer(
        "Findings in a week before a minor demerit", default=2,
        help="When a department's inspections find this many non-conformities (Not OK answers of published "
        "inspections, self-checks not counted) in one week, each employee responsible for one gets a minor demerit "
        "and the department head a warning.")
    ctrl_sixs_discipline_month_failed = fields.Integer(
        "Failed inspections in a month before a demerit", default=2,
        help="When this many of a department's published inspections fail in one month, the responsible "
        "person of each failed area gets a demerit and the department head a minor demerit.")
    ctrl_sixs_pass_mark = fields.Float(
        "Inspection pass mark", default=90.0,
        help="An inspection scores 100 minus the points it lost; below this mark it failed. The policy gives no "
        "pass mark: 90 means an inspection fails when it loses more than 10 points, the monthly tolerance.")
    # Appeals (V14 2.2)
    ctrl_sixs_arbiter_group_id = fields.Many2one(
        "res.groups", "Appeal arbiters",
        default=lambda self: self.env.ref("ctrl_sixs.group_sixs_manager", raise_if_not_found=False),
        help="Members of this group decide appeals (the quality director or the general manager).")
    # Cron
    ctrl_sixs_batch_size = fields.Integer("Audit generation batch (plans)", default=200)

    @api.constrains("ctrl_sixs_discipline_week_findings", "ctrl_sixs_discipline_month_failed", "ctrl_sixs_pass_mark")
    def _check_ctrl_sixs_discipline(self):
        for company in self:
            if company.ctrl_sixs_discipline_week_findings < 1 or company.ctrl_sixs_discipline_month_failed < 1:
                raise ValidationError(self.env._(
                    "6S settings: 'Findings in a week before a minor demerit' and 'Failed inspections in a month "
                    "before a demerit' must be at least 1."))
            if not 0 < company.ctrl_sixs_pass_mark <= 100:
                raise ValidationError(self.env._(
                    "6S settings: the 'Inspection pass mark' must be above 0 and at most 100 (default 90)."))

    @api.constrains("ctrl_sixs_deduction_min", "ctrl_sixs_deduction_max")
    def _check_ctrl_sixs_deduction_range(self):
        for company in self:
            if not 0 < company.ctrl_sixs_deduction_min <= company.ctrl_sixs_deduction_max:
                raise ValidationError(self.env._(
                    "6S settings: the lowest deduction must be above 0 and not above the highest deduction."))

    @api.constrains("ctrl_sixs_repeat_ladder", "ctrl_sixs_fine_ladder")
    def _check_ctrl_sixs_ladders(self):
        for company in self:
            for value in (company.ctrl_sixs_repeat_ladder, company.ctrl_sixs_fine_ladder):
                try:
                    rungs = [float(x) for x in (value or "").split(",")]
                except ValueError:
                    rungs = []
                if not rungs or any(r < 0 for r in rungs):
                    raise ValidationError(self.env._(
                        "6S settings: a ladder is a comma-separated list of points or amounts, e.g. 1,2,5."))

    def _ctrl_sixs_ladder(self, field):
        self.ensure_one()
        return [float(x) for x in (self[field] or "0").split(",")]
