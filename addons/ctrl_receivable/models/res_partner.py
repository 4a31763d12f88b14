# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    ctrl_recv_related_party = fields.Boolean(
        "Related party", tracking=True,
        help="关联方: receivables from this partner are not provided in full unless approved (001/AR02.33). "
        "The partners of the companies in this database count as related parties too.")
    ctrl_recv_agency = fields.Boolean(
        "Agency business", tracking=True,
        help="001/N83: for agency business an invoice unpaid 30 days after its date opens a problem account "
        "(ladder 'Problem accounts: agency business').")

    def action_ctrl_recv_report_problem(self):
        """001/N89: a problem-customer report within 1 day of an anomaly."""
        self.ensure_one()
        case = self.env["ctrl.collection.case"]._ctrl_report_anomaly(self, self.env._("Anomaly reported."))
        return {"type": "ir.actions.act_window", "res_model": "ctrl.collection.case", "res_id": case.id,
                "view_mode": "form"}
