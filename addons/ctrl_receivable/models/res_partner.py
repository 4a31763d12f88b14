# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .ctrl_balance_confirmation import FREQUENCIES


class ResPartner(models.Model):
    _inherit = "res.partner"

    ctrl_recv_related_party = fields.Boolean(
        "Related party", tracking=True,
        help="关联方: receivables from this partner are not provided in full unless approved. "
        "The partners of the companies in this database count as related parties too.")
    ctrl_recv_agency = fields.Boolean(
        "Agency business", tracking=True,
        help="For agency business an invoice unpaid 30 days after its date opens a problem account "
        "(ladder 'Problem accounts: agency business').")

    # Balance confirmations (ctrl_receivable II) -----------------------------
    ctrl_recv_confirmation_frequency = fields.Selection(
        FREQUENCIES, "Balance confirmation", compute="_compute_ctrl_recv_confirmation_frequency", store=True,
        readonly=False, tracking=True,
        help="How often the balance is confirmed with this customer (对账): yearly by default, "
        "at least twice a year for closely followed groups, monthly for related parties (intra-group).")

    @api.depends("ctrl_recv_related_party")
    def _compute_ctrl_recv_confirmation_frequency(self):
        default = self.env.company.ctrl_recv_confirmation_frequency or "yearly"
        for partner in self:
            if partner.ctrl_recv_related_party:
                partner.ctrl_recv_confirmation_frequency = "monthly"
            elif not partner.ctrl_recv_confirmation_frequency or \
                    partner.ctrl_recv_confirmation_frequency == "monthly":
                partner.ctrl_recv_confirmation_frequency = default

    def action_ctrl_recv_report_problem(self):
        """001/N89: a problem-customer report within 1 day of an anomaly."""
        self.ensure_one()
        case = self.env["ctrl.collection.case"]._ctrl_report_anomaly(self, self.env._("Anomaly reported."))
        return {"type": "ir.actions.act_window", "res_model": "ctrl.collection.case", "res_id": case.id,
                "view_mode": "form"}
