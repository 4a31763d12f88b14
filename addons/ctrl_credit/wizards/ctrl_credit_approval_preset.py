# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

D6_RULES = ("approval_order_value_manager", "approval_order_value_vp", "approval_order_value_gm")
S15_RULES = ("approval_order_value_s15_finance", "approval_order_value_s15_gm")


class CtrlCreditApprovalPreset(models.TransientModel):
    """Switch the shared order-value approval rules between the D6 9-01 bands
    and the seed 000 S15 two-level preset (000/R15-05: the finance VP below a
    threshold, the general manager from it; the seed leaves the amount blank)."""

    _name = "ctrl.credit.approval.preset"
    _description = "Order Approval Preset"

    preset = fields.Selection(
        # d6: 003/D6 9-01; s15: 000/S15
        [("d6", "By amount: salesperson below 100,000, then sales manager, sales VP, general manager"),
         ("s15", "Two levels: finance VP below the threshold, general manager from it")],
        required=True, default=lambda self: self._current_preset())
    threshold = fields.Monetary(
        "Threshold", currency_field="currency_id",
        default=lambda self: self.env.ref("ctrl_credit.approval_order_value_s15_gm").sudo().amount_min,
        # 000/R15-05 leaves the amount blank.
        help="Orders from this amount (company currency) need the general manager; below it, the finance VP.")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)

    @api.model
    def _rules(self, xml_ids):
        # A plain browse: with active_test off, the rules' band check would count archived rules too.
        return self.env["ctrl.approval.rule"].browse([self.env.ref(f"ctrl_credit.{xml_id}").id for xml_id in xml_ids])

    @api.model
    def _current_preset(self):
        return "s15" if self._rules(S15_RULES).sudo().filtered("active") else "d6"

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("ctrl_base.group_ctrl_manager"):
            raise AccessError(_("Only Internal Control administrators can change the approval rules."))
        Rule = self.env["ctrl.approval.rule"]
        shared = Rule.search([("model_name", "=", "sale.order"), ("kind", "=", "order_value"),
                              ("company_id", "=", False)])
        s15 = self._rules(S15_RULES)
        if self.preset == "s15":
            if self.threshold <= 0:
                raise ValidationError(_("Set the threshold (field 'Threshold'): orders from this amount "
                                        "need the general manager, below it the finance VP."))
            shared.write({"active": False})
            finance, gm = s15
            finance.write({"amount_min": 0.0, "amount_max": self.threshold})
            gm.write({"amount_min": self.threshold, "amount_max": 0.0})
            s15.write({"active": True})
        else:
            shared.write({"active": False})
            self._rules(D6_RULES).write({"active": True})
        return {"type": "ir.actions.client", "tag": "display_notification",
                "params": {"type": "success", "title": _("Order approval"),
                           "message": dict(self._fields["preset"]._description_selection(self.env))[self.preset],
                           "next": {"type": "ir.actions.act_window_close"}}}
