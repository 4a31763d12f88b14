# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlGoLivePreviewLine(models.TransientModel):
    """The collection figures of a go-live preview level (issue #24), filled
    by ``account.move._ctrl_escalation_preview``."""

    _inherit = "ctrl.go.live.preview.line"

    currency_id = fields.Many2one(related="preview_id.company_id.currency_id")
    ctrl_recv_hold_count = fields.Integer(
        "Customers newly held", readonly=True,
        help="Customers without a collection hold yet that the level would hold.")
    ctrl_recv_case_count = fields.Integer(
        "Cases opened", readonly=True, help="Problem accounts or legal cases the level would open.")
    ctrl_recv_deduction_count = fields.Integer(
        "Deductions", readonly=True, help="Deductions from salespeople's performance basis the level would book.")
    ctrl_recv_deduction_amount = fields.Monetary(
        "Deducted", readonly=True, help="Total of those deductions, in the company's currency.")
