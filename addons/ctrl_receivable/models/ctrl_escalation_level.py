# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CtrlEscalationLevel(models.Model):
    """Collection actions of a ladder level on invoices, run by
    ``account.move._ctrl_escalation_collection``."""

    _inherit = "ctrl.escalation.level"

    ctrl_recv_letter = fields.Boolean(
        "Reminder letter", help="The invoice's reminder letter (PDF) is due at this level. It is rendered when "
        "someone prints it, never inside the scheduled action.")
    ctrl_recv_hold = fields.Boolean(
        "Hold the customer", help="Place a credit hold (reason: collection ladder) on the customer.")
    ctrl_recv_open_case = fields.Selection(
        [("problem", "Problem account"), ("legal", "Legal case")], "Open a case",
        help="Open (or add the invoice to) the customer's problem account or legal case.")
    ctrl_recv_deduction = fields.Float(
        "Deduction (%)", digits=(16, 2),
        help="Share of the invoice's open amount deducted from the salesperson's performance basis, "
        "cumulative: a later level books only the increase. Refunded on recovery.")

    @api.constrains("ctrl_recv_deduction", "days", "ladder_id")
    def _check_ctrl_recv_deduction(self):
        for level in self:
            if not 0.0 <= level.ctrl_recv_deduction <= 100.0:
                raise ValidationError(_(
                    "Level %(level)s: the deduction must be between 0 and 100%% (got %(value)s).",
                    level=level.name, value=level.ctrl_recv_deduction))
        for ladder in self.ladder_id:
            rates = [lv.ctrl_recv_deduction for lv in ladder.level_ids.sorted(lambda lv: lv._rank())
                     if lv.ctrl_recv_deduction]
            if rates != sorted(rates):
                raise ValidationError(_(
                    "Ladder %(ladder)s: deductions are cumulative, so a later level cannot deduct less than an "
                    "earlier one (%(rates)s).", ladder=ladder.name, rates=", ".join(f"{r:g}%" for r in rates)))
