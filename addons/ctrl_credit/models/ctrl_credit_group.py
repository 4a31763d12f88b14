# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CtrlCreditGroup(models.Model):
    """A credit group: the customers under one controlling person, with an
    aggregate credit limit (001/AR16.8: related customers must not each
    obtain a full limit of their own).

    The group belongs to one company: its cap is in that company's currency
    and holds orders of that company only. Membership is the plain
    Many2one ``res.partner.ctrl_credit_group_id`` (not company-dependent: a
    customer has one controlling person, whatever the company; see
    readme/CONFIGURE.md). Only credit managers create groups, change the cap
    or the members; every change is tracked."""

    _name = "ctrl.credit.group"
    _description = "Credit Group"
    _inherit = ["mail.thread"]
    _order = "company_id, name"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    controller_id = fields.Many2one(
        "res.partner", "Controlling person", required=True, tracking=True,
        help="The person or company that controls every customer of the group.")
    company_id = fields.Many2one("res.company", required=True, index=True, tracking=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    credit_limit = fields.Monetary(
        "Group credit limit", required=True, tracking=True, aggregator=False,
        help="The most the customers of the group may owe together in this company: open receivables, orders "
             "not yet invoiced and draft invoices of all of them.")
    member_ids = fields.One2many("res.partner", "ctrl_credit_group_id", "Customers")
    member_count = fields.Integer("Number of customers", compute="_compute_figures")
    exposure = fields.Monetary("Group credit exposure", compute="_compute_figures")
    available = fields.Monetary("Group available credit", compute="_compute_figures")
    note = fields.Text("Notes")

    @api.constrains("credit_limit")
    def _check_credit_limit(self):
        for group in self:
            if group.currency_id.compare_amounts(group.credit_limit, 0) <= 0:
                raise ValidationError(_(
                    "Credit group %(group)s: the Group credit limit must be above zero.", group=group.name))

    @api.depends("credit_limit", "member_ids")
    def _compute_figures(self):
        for group in self:
            members = group._ctrl_members()
            figures = members._ctrl_credit_figures(group.company_id) if members else {}
            exposure = group.currency_id.round(sum(value for value, _days in figures.values()))
            group.member_count = len(members)
            group.exposure = exposure
            group.available = group.credit_limit - exposure

    def _ctrl_members(self):
        """The group's customers, archived ones included (what they owe still counts). One query."""
        self.ensure_one()
        return self.env["res.partner"].sudo().with_context(active_test=False).search(
            [("ctrl_credit_group_id", "=", self.id)], order="id")

    def write(self, vals):
        before = {group.id: group.member_ids for group in self} if "member_ids" in vals else {}
        result = super().write(vals)
        for group in self.filtered(lambda g: g.id in before):
            added, removed = group.member_ids - before[group.id], before[group.id] - group.member_ids
            if added or removed:
                group._ctrl_log_members(added, removed)
        return result

    def _ctrl_log_members(self, added, removed):
        parts = []
        if added:
            parts.append(_("added %(names)s", names=", ".join(added.mapped("display_name"))))
        if removed:
            parts.append(_("removed %(names)s", names=", ".join(removed.mapped("display_name"))))
        self.message_post(body=_("Customers changed by %(user)s: %(changes)s.", user=self.env.user.name,
                                 changes="; ".join(parts)))
