# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .ctrl_balance_confirmation import FREQUENCIES


class ResPartner(models.Model):
    _inherit = "res.partner"

    ctrl_recv_related_party = fields.Boolean(
        "Related party", tracking=True,
        help="Receivables from this partner are not provided in full unless approved. "
        "The partners of the companies in this database count as related parties too.")
    ctrl_recv_agency = fields.Boolean(
        "Agency business", tracking=True,
        help="For agency business an invoice unpaid 30 days after its date opens a problem account "
        "(ladder 'Problem accounts: agency business').")

    # Balance confirmations (ctrl_receivable II) -----------------------------
    # A plain column without default: installing on a database with many customers writes nothing to them.
    ctrl_recv_confirmation_frequency = fields.Selection(
        FREQUENCIES, "Confirmation frequency", tracking=True,
        help="How often the balance is confirmed with this customer, when it differs from the rule. "
        "Empty: monthly for related parties (intra-group), otherwise the company's default frequency.")
    ctrl_recv_effective_frequency = fields.Selection(
        FREQUENCIES, "Balance confirmation", compute="_compute_ctrl_recv_effective_frequency",
        help="How often the balance is confirmed with this customer: the frequency set on the customer, "
        "else monthly for related parties and the company's default for the others.")

    # Overdue reason and collection plan (001/AR01.20, 000/R11-08) ---------------
    ctrl_recv_overdue_note_ids = fields.One2many("ctrl.recv.overdue.note", "partner_id",
                                                 string="Overdue reason and collection plan")

    def action_ctrl_recv_overdue_note(self):
        """Open this customer's overdue reason and collection plan in the current company."""
        self.ensure_one()
        Note = self.env["ctrl.recv.overdue.note"]
        note = Note._for_partner(self)
        return {
            "type": "ir.actions.act_window", "res_model": Note._name, "view_mode": "form",
            "res_id": note.id, "target": "current",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    @api.depends_context("company")
    @api.depends("ctrl_recv_related_party", "ctrl_recv_confirmation_frequency")
    def _compute_ctrl_recv_effective_frequency(self):
        for partner in self:
            partner.ctrl_recv_effective_frequency = partner._ctrl_recv_frequency_in(self.env.company)

    def _ctrl_recv_frequency_in(self, company):
        """000/R05-05: the customer's own frequency, else monthly for related
        parties (intra-group), else ``company``'s default."""
        self.ensure_one()
        if self.ctrl_recv_confirmation_frequency:
            return self.ctrl_recv_confirmation_frequency
        if self.ctrl_recv_related_party:
            return "monthly"
        return company.ctrl_recv_confirmation_frequency or "yearly"

    def action_ctrl_recv_report_problem(self):
        """001/N89: a problem-customer report within 1 day of an anomaly."""
        self.ensure_one()
        case = self.env["ctrl.collection.case"]._ctrl_report_anomaly(self, self.env._("Anomaly reported."))
        return {"type": "ir.actions.act_window", "res_model": "ctrl.collection.case", "res_id": case.id,
                "view_mode": "form"}
