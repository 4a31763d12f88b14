# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    currency_id = fields.Many2one(related="company_id.currency_id", string="Company currency")

    ctrl_sixs_deduction_min = fields.Integer(related="company_id.ctrl_sixs_deduction_min", readonly=False)
    ctrl_sixs_deduction_max = fields.Integer(related="company_id.ctrl_sixs_deduction_max", readonly=False)
    ctrl_sixs_finding_photo = fields.Boolean(related="company_id.ctrl_sixs_finding_photo", readonly=False)
    ctrl_sixs_repeat_days = fields.Integer(related="company_id.ctrl_sixs_repeat_days", readonly=False)
    ctrl_sixs_repeat_ladder = fields.Char(related="company_id.ctrl_sixs_repeat_ladder", readonly=False)
    ctrl_sixs_tolerance = fields.Float(related="company_id.ctrl_sixs_tolerance", readonly=False)
    ctrl_sixs_money_mode = fields.Selection(related="company_id.ctrl_sixs_money_mode", readonly=False)
    ctrl_sixs_money_per_point_tolerance = fields.Monetary(
        related="company_id.ctrl_sixs_money_per_point_tolerance", readonly=False)
    ctrl_sixs_money_per_point = fields.Monetary(related="company_id.ctrl_sixs_money_per_point", readonly=False)
    ctrl_sixs_leader_share = fields.Float(related="company_id.ctrl_sixs_leader_share", readonly=False)
    ctrl_sixs_action_days = fields.Integer(related="company_id.ctrl_sixs_action_days", readonly=False)
    ctrl_sixs_late_action_points = fields.Float(related="company_id.ctrl_sixs_late_action_points", readonly=False)
    ctrl_sixs_failed_verification_points = fields.Float(
        related="company_id.ctrl_sixs_failed_verification_points", readonly=False)
    ctrl_sixs_bonus_max = fields.Float(related="company_id.ctrl_sixs_bonus_max", readonly=False)
    ctrl_sixs_duty_own_factor = fields.Float(related="company_id.ctrl_sixs_duty_own_factor", readonly=False)
    ctrl_sixs_duty_threshold = fields.Float(related="company_id.ctrl_sixs_duty_threshold", readonly=False)
    ctrl_sixs_duty_share = fields.Float(related="company_id.ctrl_sixs_duty_share", readonly=False)
    ctrl_sixs_duty_clean_bonus = fields.Float(related="company_id.ctrl_sixs_duty_clean_bonus", readonly=False)
    ctrl_sixs_duty_min_months = fields.Integer(related="company_id.ctrl_sixs_duty_min_months", readonly=False)
    ctrl_sixs_leader_missed_assessment = fields.Float(
        related="company_id.ctrl_sixs_leader_missed_assessment", readonly=False)
    ctrl_sixs_leader_missed_briefing = fields.Float(
        related="company_id.ctrl_sixs_leader_missed_briefing", readonly=False)
    ctrl_sixs_head_no_training = fields.Float(related="company_id.ctrl_sixs_head_no_training", readonly=False)
    ctrl_sixs_head_missed_assessment = fields.Float(
        related="company_id.ctrl_sixs_head_missed_assessment", readonly=False)
    ctrl_sixs_head_missing_plan = fields.Float(related="company_id.ctrl_sixs_head_missing_plan", readonly=False)
    ctrl_sixs_weight_weekly = fields.Float(related="company_id.ctrl_sixs_weight_weekly", readonly=False)
    ctrl_sixs_weight_monthly = fields.Float(related="company_id.ctrl_sixs_weight_monthly", readonly=False)
    ctrl_sixs_leniency_fine = fields.Monetary(related="company_id.ctrl_sixs_leniency_fine", readonly=False)
    ctrl_sixs_fine_ladder = fields.Char(related="company_id.ctrl_sixs_fine_ladder", readonly=False)
    ctrl_sixs_model_employees_max = fields.Integer(related="company_id.ctrl_sixs_model_employees_max", readonly=False)
    ctrl_sixs_award_individual = fields.Monetary(related="company_id.ctrl_sixs_award_individual", readonly=False)
    ctrl_sixs_award_area_leader = fields.Monetary(related="company_id.ctrl_sixs_award_area_leader", readonly=False)
    ctrl_sixs_award_area_process = fields.Monetary(related="company_id.ctrl_sixs_award_area_process", readonly=False)
    ctrl_sixs_discipline_week_findings = fields.Integer(
        related="company_id.ctrl_sixs_discipline_week_findings", readonly=False)
    ctrl_sixs_discipline_month_failed = fields.Integer(
        related="company_id.ctrl_sixs_discipline_month_failed", readonly=False)
    ctrl_sixs_pass_mark = fields.Float(related="company_id.ctrl_sixs_pass_mark", readonly=False)
    ctrl_sixs_arbiter_group_id = fields.Many2one(related="company_id.ctrl_sixs_arbiter_group_id", readonly=False)
    ctrl_sixs_batch_size = fields.Integer(related="company_id.ctrl_sixs_batch_size", readonly=False)
