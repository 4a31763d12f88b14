# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ctrl_credit_over_limit_mode = fields.Selection(related="company_id.ctrl_credit_over_limit_mode", readonly=False)
    ctrl_credit_overdue_mode = fields.Selection(related="company_id.ctrl_credit_overdue_mode", readonly=False)
    ctrl_credit_cash_mode = fields.Selection(related="company_id.ctrl_credit_cash_mode", readonly=False)
    ctrl_credit_native_limit_mode = fields.Selection(
        related="company_id.ctrl_credit_native_limit_mode", readonly=False)
    ctrl_credit_overdue_grace_days = fields.Integer(
        related="company_id.ctrl_credit_overdue_grace_days", readonly=False)
    ctrl_credit_ungraded_cash_only = fields.Boolean(
        related="company_id.ctrl_credit_ungraded_cash_only", readonly=False)
    ctrl_credit_file_required = fields.Boolean(related="company_id.ctrl_credit_file_required", readonly=False)
    ctrl_credit_order_approval = fields.Boolean(related="company_id.ctrl_credit_order_approval", readonly=False)
    ctrl_credit_checklist_amount = fields.Monetary(
        related="company_id.ctrl_credit_checklist_amount", readonly=False)
    ctrl_credit_checklist_all = fields.Boolean(related="company_id.ctrl_credit_checklist_all", readonly=False)
    ctrl_credit_new_customer_share = fields.Float(
        related="company_id.ctrl_credit_new_customer_share", readonly=False)
    ctrl_credit_note_approval = fields.Boolean(related="company_id.ctrl_credit_note_approval", readonly=False)
    ctrl_credit_note_threshold = fields.Monetary(related="company_id.ctrl_credit_note_threshold", readonly=False)
    ctrl_return_approval = fields.Boolean(related="company_id.ctrl_return_approval", readonly=False)
    ctrl_return_inspection = fields.Boolean(related="company_id.ctrl_return_inspection", readonly=False)
    ctrl_pricelist_approval = fields.Boolean(related="company_id.ctrl_pricelist_approval", readonly=False)
    ctrl_credit_file_min_deals = fields.Integer(related="company_id.ctrl_credit_file_min_deals", readonly=False)
    ctrl_credit_file_min_amount = fields.Monetary(related="company_id.ctrl_credit_file_min_amount", readonly=False)
    ctrl_credit_file_due_days = fields.Integer(related="company_id.ctrl_credit_file_due_days", readonly=False)
    ctrl_credit_limit_change_approval = fields.Selection(
        related="company_id.ctrl_credit_limit_change_approval", readonly=False, required=True)
    ctrl_credit_review_days = fields.Integer(related="company_id.ctrl_credit_review_days", readonly=False)

    ctrl_duty_approver_not_shipper = fields.Boolean(
        related="company_id.ctrl_duty_approver_not_shipper", readonly=False)
    ctrl_duty_confirmer_not_invoicer = fields.Boolean(
        related="company_id.ctrl_duty_confirmer_not_invoicer", readonly=False)
    ctrl_price_approval = fields.Boolean(related="company_id.ctrl_price_approval", readonly=False)
    ctrl_price_band = fields.Float(related="company_id.ctrl_price_band", readonly=False)
    ctrl_invoice_price_check = fields.Boolean(related="company_id.ctrl_invoice_price_check", readonly=False)
    ctrl_bill_receivable_account_id = fields.Many2one(
        related="company_id.ctrl_bill_receivable_account_id", readonly=False)
    ctrl_bill_journal_id = fields.Many2one(related="company_id.ctrl_bill_journal_id", readonly=False)
    ctrl_bill_interest_account_id = fields.Many2one(
        related="company_id.ctrl_bill_interest_account_id", readonly=False)
