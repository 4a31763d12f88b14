# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    ctrl_credit_grade_id = fields.Many2one(
        "ctrl.credit.grade", "Credit grade", company_dependent=True, tracking=True,
        help="Set by an approved credit evaluation.")
    ctrl_credit_term_days = fields.Integer("Credit term (days)", company_dependent=True, tracking=True)
    ctrl_credit_evaluation_date = fields.Date("Last credit evaluation", company_dependent=True)
    ctrl_credit_evaluation_ids = fields.One2many("ctrl.credit.evaluation", "partner_id", "Credit evaluations")
    ctrl_credit_hold_ids = fields.One2many("ctrl.credit.hold", "partner_id", "Credit holds")
    ctrl_credit_on_hold = fields.Boolean(
        "On credit hold", compute="_compute_ctrl_credit_on_hold", search="_search_ctrl_credit_on_hold")
    ctrl_credit_exposure = fields.Monetary(
        "Credit exposure", compute="_compute_ctrl_credit_exposure", currency_field="ctrl_credit_currency_id",
        help="Open posted receivables + confirmed orders not yet invoiced + draft invoices, in company currency.")
    ctrl_credit_available = fields.Monetary(
        "Available credit", compute="_compute_ctrl_credit_exposure", currency_field="ctrl_credit_currency_id")
    ctrl_credit_overdue_days = fields.Integer("Oldest overdue (days)", compute="_compute_ctrl_credit_exposure")
    ctrl_credit_currency_id = fields.Many2one("res.currency", compute="_compute_ctrl_credit_exposure")

    def _compute_ctrl_credit_on_hold(self):
        company = self.env.company
        held = set(self.env["ctrl.credit.hold"].sudo()._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids), ("state", "=", "active"),
             ("company_id", "=", company.id)], ["partner_id"])) if self.ids else set()
        held_ids = {partner.id for (partner,) in held}
        for partner in self:
            partner.ctrl_credit_on_hold = partner.commercial_partner_id.id in held_ids

    def _search_ctrl_credit_on_hold(self, operator, value):
        holds = self.env["ctrl.credit.hold"].sudo()._search(
            [("state", "=", "active"), ("company_id", "=", self.env.company.id)])
        positive = (operator == "=") == bool(value)
        return [("commercial_partner_id", "in" if positive else "not in", holds.subselect("partner_id"))]

    @api.depends_context("company")
    def _compute_ctrl_credit_exposure(self):
        company = self.env.company
        exposure = self._ctrl_credit_exposure_map(company)
        overdue = self._ctrl_credit_overdue_map(company)
        for partner in self:
            commercial = partner.commercial_partner_id.id
            partner.ctrl_credit_currency_id = company.currency_id
            partner.ctrl_credit_exposure = exposure.get(commercial, 0.0)
            partner.ctrl_credit_available = (partner.commercial_partner_id.credit_limit or 0.0) \
                - partner.ctrl_credit_exposure
            partner.ctrl_credit_overdue_days = overdue.get(commercial, 0)

    # ------------------------------------------------------------------
    # Set-based figures: one query for a whole batch of partners.
    # ------------------------------------------------------------------
    def _ctrl_credit_exposure_map(self, company):
        """{commercial partner id: exposure in company currency}."""
        commercial_ids = tuple(set(self.commercial_partner_id.ids)) or (0,)
        self.env["account.move.line"].flush_model(["amount_residual", "partner_id", "parent_state", "account_id"])
        self.env["account.move"].flush_model(["state", "amount_total_signed", "move_type", "commercial_partner_id"])
        self.env["sale.order.line"].flush_model(["untaxed_amount_to_invoice", "price_total", "price_subtotal"])
        self.env["sale.order"].flush_model(["state", "currency_rate", "partner_id"])
        rows = self.env.execute_query(SQL(
            """
            SELECT partner_id, SUM(amount) FROM (
                SELECT p.commercial_partner_id AS partner_id, aml.amount_residual AS amount
                  FROM account_move_line aml
                  JOIN res_partner p ON p.id = aml.partner_id
                  JOIN account_account acc ON acc.id = aml.account_id
                 WHERE acc.account_type = 'asset_receivable' AND aml.parent_state = 'posted'
                   AND aml.company_id = %(company)s AND p.commercial_partner_id IN %(ids)s
                   AND aml.amount_residual != 0
                UNION ALL
                SELECT p.commercial_partner_id,
                       sol.untaxed_amount_to_invoice
                       * CASE WHEN sol.price_subtotal != 0 THEN sol.price_total / sol.price_subtotal ELSE 1 END
                       / COALESCE(NULLIF(so.currency_rate, 0), 1)
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                   AND p.commercial_partner_id IN %(ids)s AND sol.untaxed_amount_to_invoice > 0
                UNION ALL
                SELECT m.commercial_partner_id, m.amount_total_signed
                  FROM account_move m
                 WHERE m.state = 'draft' AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.company_id = %(company)s AND m.commercial_partner_id IN %(ids)s
            ) exposure GROUP BY partner_id
            """, company=company.id, ids=commercial_ids))
        return {partner_id: company.currency_id.round(amount or 0.0) for partner_id, amount in rows}

    def _ctrl_credit_overdue_map(self, company, today=None):
        """{commercial partner id: days the oldest open receivable is overdue}."""
        commercial_ids = tuple(set(self.commercial_partner_id.ids)) or (0,)
        today = today or fields.Date.context_today(self)
        self.env["account.move.line"].flush_model(["amount_residual", "date_maturity", "parent_state"])
        rows = self.env.execute_query(SQL(
            """
            SELECT p.commercial_partner_id, %(today)s - MIN(aml.date_maturity)
              FROM account_move_line aml
              JOIN res_partner p ON p.id = aml.partner_id
              JOIN account_account acc ON acc.id = aml.account_id
             WHERE acc.account_type = 'asset_receivable' AND aml.parent_state = 'posted'
               AND aml.company_id = %(company)s AND p.commercial_partner_id IN %(ids)s
               AND aml.amount_residual > 0 AND aml.date_maturity < %(today)s
             GROUP BY p.commercial_partner_id
            """, today=today, company=company.id, ids=commercial_ids))
        return dict(rows)

    def _ctrl_credit_active_holds(self, mode=None):
        """Active holds of the commercial partner in the current company."""
        domain = [("partner_id", "=", self.commercial_partner_id.id), ("state", "=", "active"),
                  ("company_id", "=", self.env.company.id)]
        if mode:
            domain.append(("mode", "=", mode))
        return self.env["ctrl.credit.hold"].sudo().search(domain)

    def _ctrl_credit_controlled(self, company):
        """Credit-controlled: a limit of record or a grade in ``company``."""
        partner = self.commercial_partner_id.with_company(company).sudo()
        return bool(partner.credit_limit or partner.ctrl_credit_grade_id)

    def _ctrl_credit_policy(self, company):
        """'credit', 'deposit' or 'cash' for ``company``."""
        partner = self.commercial_partner_id.with_company(company).sudo()
        grade = partner.ctrl_credit_grade_id
        if grade:
            return grade.policy
        return "cash" if company.ctrl_credit_ungraded_cash_only else "credit"

    def action_ctrl_credit_evaluate(self):
        self.ensure_one()
        evaluation = self.env["ctrl.credit.evaluation"].create({
            "partner_id": self.commercial_partner_id.id,
            "new_customer": not self.commercial_partner_id.ctrl_credit_evaluation_date,
        })
        return {"type": "ir.actions.act_window", "res_model": "ctrl.credit.evaluation", "res_id": evaluation.id,
                "view_mode": "form"}

    def action_ctrl_credit_view_holds(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_credit.ctrl_credit_hold_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
