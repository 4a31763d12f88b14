# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Aging, KPIs and provisioning (ctrl_receivable I)
    ctrl_recv_collection_scheme_id = fields.Many2one(
        related="company_id.ctrl_recv_collection_scheme_id", readonly=False)
    ctrl_recv_provision_scheme_id = fields.Many2one(
        related="company_id.ctrl_recv_provision_scheme_id", readonly=False)
    ctrl_recv_class_overdue_days = fields.Integer(related="company_id.ctrl_recv_class_overdue_days", readonly=False)
    ctrl_recv_class_sluggish_days = fields.Integer(
        related="company_id.ctrl_recv_class_sluggish_days", readonly=False)
    ctrl_recv_class_bad_days = fields.Integer(related="company_id.ctrl_recv_class_bad_days", readonly=False)
    ctrl_recv_dso_days = fields.Integer(related="company_id.ctrl_recv_dso_days", readonly=False)
    ctrl_recv_bad_debt_target = fields.Float(related="company_id.ctrl_recv_bad_debt_target", readonly=False)
    ctrl_recv_aging_due_day = fields.Integer(related="company_id.ctrl_recv_aging_due_day", readonly=False)
    ctrl_recv_finance_director_id = fields.Many2one(
        related="company_id.ctrl_recv_finance_director_id", readonly=False)
    ctrl_recv_aging_keep_months = fields.Integer(related="company_id.ctrl_recv_aging_keep_months", readonly=False)
    ctrl_recv_provision_journal_id = fields.Many2one(
        related="company_id.ctrl_recv_provision_journal_id", readonly=False)
    ctrl_recv_provision_expense_account_id = fields.Many2one(
        related="company_id.ctrl_recv_provision_expense_account_id", readonly=False)
    ctrl_recv_allowance_account_id = fields.Many2one(
        related="company_id.ctrl_recv_allowance_account_id", readonly=False)
    ctrl_recv_exclude_related = fields.Boolean(related="company_id.ctrl_recv_exclude_related", readonly=False)
    ctrl_recv_exclude_current_year = fields.Boolean(
        related="company_id.ctrl_recv_exclude_current_year", readonly=False)
    ctrl_recv_exclude_unmatured = fields.Boolean(related="company_id.ctrl_recv_exclude_unmatured", readonly=False)
    ctrl_recv_excluded_rate_cap = fields.Float(related="company_id.ctrl_recv_excluded_rate_cap", readonly=False)
    ctrl_recv_expected_loss = fields.Boolean(related="company_id.ctrl_recv_expected_loss", readonly=False)
    ctrl_recv_expected_loss_years = fields.Integer(related="company_id.ctrl_recv_expected_loss_years", readonly=False)
    ctrl_recv_collection_hold_mode = fields.Selection(related="company_id.ctrl_recv_collection_hold_mode",
                                                      readonly=False)
    ctrl_recv_suspension_mode = fields.Selection(related="company_id.ctrl_recv_suspension_mode", readonly=False)
    ctrl_recv_suspension_days = fields.Integer(related="company_id.ctrl_recv_suspension_days", readonly=False)
    ctrl_recv_predue_days = fields.Integer(related="company_id.ctrl_recv_predue_days", readonly=False)
    ctrl_recv_writeoff_needs_review = fields.Boolean(related="company_id.ctrl_recv_writeoff_needs_review",
                                                     readonly=False)
    ctrl_recv_case_director_from = fields.Monetary(related="company_id.ctrl_recv_case_director_from",
                                                   readonly=False)
    ctrl_recv_case_task_force_from = fields.Monetary(related="company_id.ctrl_recv_case_task_force_from",
                                                     readonly=False)
    ctrl_recv_deduction_basis = fields.Selection(related="company_id.ctrl_recv_deduction_basis", readonly=False,
                                                 required=True)
    # Balance confirmations and handover (ctrl_receivable II)
    ctrl_recv_confirmation_frequency = fields.Selection(
        related="company_id.ctrl_recv_confirmation_frequency", readonly=False)
    ctrl_recv_confirmation_hold = fields.Boolean(related="company_id.ctrl_recv_confirmation_hold", readonly=False)
    ctrl_recv_confirmation_hold_days = fields.Integer(
        related="company_id.ctrl_recv_confirmation_hold_days", readonly=False)
    ctrl_recv_confirmation_hold_mode = fields.Selection(
        related="company_id.ctrl_recv_confirmation_hold_mode", readonly=False)
    ctrl_recv_dispute_cause_days = fields.Integer(related="company_id.ctrl_recv_dispute_cause_days", readonly=False)
    ctrl_recv_dispute_resolve_days = fields.Integer(
        related="company_id.ctrl_recv_dispute_resolve_days", readonly=False)
    ctrl_recv_confirmation_manager_id = fields.Many2one(
        related="company_id.ctrl_recv_confirmation_manager_id", readonly=False)
    ctrl_recv_handover_archive_mode = fields.Selection(
        related="company_id.ctrl_recv_handover_archive_mode", readonly=False)
