# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

OVERDUE_REASONS = [
    ("funds", "Customer short of funds"),
    ("dispute", "Dispute over goods, price or quantity"),
    ("documents", "Invoice or documents not received"),
    ("approval", "Waiting for the customer's internal approval"),
    ("refusal", "Customer refuses to pay"),
    ("other", "Other"),
]


class CtrlRecvOverdueNote(models.Model):
    """Why a customer's debt is overdue and how it will be collected, as its
    salesperson records it each month (001/AR01.20, AR03.25: the remarks of
    the aging table; 000/R11-08: the collection plan). One per customer and
    company; shown in the aging workbook."""

    _name = "ctrl.recv.overdue.note"
    _description = "Overdue Reason and Collection Plan"
    _inherit = ["mail.thread"]
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True, ondelete="cascade",
                                 domain="[('parent_id', '=', False)]")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    salesperson_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    reason = fields.Selection(OVERDUE_REASONS, "Overdue reason", tracking=True)
    reason_note = fields.Text("Reason details", tracking=True)
    plan = fields.Text("Collection plan", tracking=True)
    planned_date = fields.Date("Planned collection date", tracking=True)
    planned_amount = fields.Monetary("Planned collection amount", tracking=True)

    _sql_constraints = [("partner_company_unique", "unique(partner_id, company_id)",
                         "A customer has one overdue reason and collection plan per company.")]

    @api.constrains("planned_amount")
    def _check_planned_amount(self):
        for note in self:
            if note.currency_id.compare_amounts(note.planned_amount, 0.0) < 0:
                raise ValidationError(_("%(customer)s: the Planned collection amount cannot be negative.",
                                        customer=note.partner_id.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        notes = super().create(vals_list)
        notes._check_author()
        return notes

    def write(self, vals):
        self._check_author()
        result = super().write(vals)
        if "partner_id" in vals:
            self._check_author()
        return result

    def _check_author(self):
        """Only the customer's salesperson, sales managers and receivable managers write them."""
        if self.env.su or self.env.user.has_group("sales_team.group_sale_manager") \
                or self.env.user.has_group("ctrl_receivable.group_receivable_manager"):
            return
        others = self.filtered(lambda note: note.partner_id.user_id != self.env.user)
        if others:
            raise AccessError(_("Only the salesperson of %(customers)s, a sales manager or a receivables manager "
                                "records the overdue reason and the collection plan.",
                                customers=", ".join(others.partner_id.mapped("display_name"))))

    @api.model
    def _for_partner(self, partner, company=None):
        company = company or self.env.company
        return self.search([("partner_id", "=", partner.commercial_partner_id.id),
                            ("company_id", "=", company.id)], limit=1)
