# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.ctrl_balance_confirmation import FREQUENCIES


class CtrlBalanceConfirmationCampaign(models.TransientModel):
    """Creates one balance confirmation per customer as of a date (idempotent
    per customer and date), snapshots the open items and queues the letters."""

    _name = "ctrl.balance.confirmation.campaign"
    _description = "Balance Confirmation Campaign"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date = fields.Date(
        "As of", required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - relativedelta(days=1),
        help="Balances and open items at the end of this day (default: the end of last month).")
    frequency = fields.Selection(
        [f for f in FREQUENCIES if f[0] != "none"], "Frequency",
        help="Only customers with this confirmation frequency. Empty: every frequency.")
    campaign_ref = fields.Char("Campaign", compute="_compute_campaign_ref", store=True, readonly=False)
    partner_ids = fields.Many2many(
        "res.partner", string="Customers", compute="_compute_partner_ids", store=True, readonly=False,
        help="By default the customers with open receivables at the date whose frequency is due.")
    send = fields.Boolean("Send by email", default=True,
                          help="Queue the letters to the customers with an email address; the others stay in "
                          "draft, to print and post.")

    @api.depends("date", "frequency")
    def _compute_campaign_ref(self):
        for wizard in self:
            wizard.campaign_ref = _("Confirmation %(date)s", date=wizard.date) if wizard.date else False

    @api.depends("date", "frequency", "company_id")
    def _compute_partner_ids(self):
        Confirmation = self.env["ctrl.balance.confirmation"]
        for wizard in self:
            wizard.partner_ids = Confirmation._ctrl_recv_due_partner_ids(
                wizard.date, wizard.company_id, wizard.frequency) if wizard.date and wizard.company_id else False

    def _ctrl_create_confirmations(self):
        """Confirmations for the wizard's customers; existing ones for the same
        customer, company and date are kept, not duplicated."""
        self.ensure_one()
        if not self.partner_ids:
            raise UserError(_("Customers: no customer to confirm. Pick customers, or another date or frequency."))
        Confirmation = self.env["ctrl.balance.confirmation"]
        partners = self.partner_ids.commercial_partner_id
        existing = Confirmation.search([
            ("partner_id", "in", partners.ids), ("company_id", "=", self.company_id.id), ("date", "=", self.date),
        ])
        new = Confirmation.create([{
            "partner_id": partner.id, "company_id": self.company_id.id, "date": self.date,
            "campaign_ref": self.campaign_ref,
        } for partner in partners - existing.partner_id])
        new._ctrl_compute_balance()
        return new, existing

    def action_create(self):
        new, existing = self._ctrl_create_confirmations()
        sent = self.env["ctrl.balance.confirmation"]
        if self.send:
            sent = new.filtered(lambda r: r.partner_id.email)
            sent.action_send()
        message = _("%(new)s confirmations created (%(sent)s queued by email), %(existing)s already existed.",
                    new=len(new), sent=len(sent), existing=len(existing))
        return {
            "type": "ir.actions.act_window", "name": message, "res_model": "ctrl.balance.confirmation",
            "view_mode": "list,form", "domain": [("id", "in", (new | existing).ids)],
        }
