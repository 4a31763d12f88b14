# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CtrlSixsOffence(models.Model):
    """An offence with a fixed fine per person and time (V15, V16; seed-001 §4.1,
    §10 #45-#48). Data, shipped with the policy's amounts and kept on update
    (noupdate), so a company can change an amount or add its own offences. A
    ledger row (reason 'Fixed fine') copies the amount when it is booked: a later
    change of the table never changes a booked fine."""

    _name = "ctrl.sixs.offence"
    _description = "6S Offence with a Fixed Fine"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    amount = fields.Monetary("Fine per person and time", required=True, tracking=True,
                             currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id",
        help="The company's currency; shared offences are in the current company's currency.")
    host_pays = fields.Boolean(
        "The host is fined", tracking=True,
        help="The offender is a visitor: the employee who received the visitor is fined.")
    note = fields.Text(translate=True, help="Where the rule comes from, and alternatives the policy gives.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", index=True, tracking=True, help="Empty: shared by all companies.")

    _sql_constraints = [("code_company_uniq", "unique(code, company_id)", "An offence code is unique per company.")]

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for offence in self:
            offence.currency_id = (offence.company_id or self.env.company).currency_id

    @api.constrains("amount")
    def _check_amount(self):
        for offence in self:
            if offence.currency_id.compare_amounts(offence.amount, 0.0) <= 0:
                raise ValidationError(self.env._(
                    "Offence %(offence)s: the 'Fine per person and time' must be above 0 (the policy gives 50). "
                    "Archive the offence instead of setting it to 0.", offence=offence.name))
