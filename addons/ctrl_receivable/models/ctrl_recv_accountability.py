# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.tools import SQL


class CtrlRecvAccountability(models.Model):
    """Salesperson accountability ledger (001 AR03 family: 20% / 50% of the
    invoice's amount deducted from the bonus-counted performance, 「扣经办人员该票金额20%的计奖成绩」;
    AR01: 10/30/50% at 2/3/4 months; 003/D16 guarantors, who answer with money).

    Deductions come from the collection ladder's levels; a recovery refunds
    them, in full or pro rata. Guarantees are recorded for information and
    are not payroll items until the debt is written off."""

    _name = "ctrl.recv.accountability"
    _inherit = ["ctrl.bulk.mixin"]
    _description = "Salesperson Accountability Entry"
    _order = "date desc, id desc"

    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True, index=True)
    period = fields.Char(compute="_compute_period", store=True, index=True)
    kind = fields.Selection([("deduction", "Deduction"), ("refund", "Refund"), ("guarantee", "Guarantee")],
                            required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", "Salesperson", required=True, readonly=True, index=True)
    move_id = fields.Many2one("account.move", "Invoice", readonly=True, index="btree_not_null")
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one("ctrl.escalation.level", "Level", readonly=True)
    measure = fields.Selection(
        [("performance", "Bonus-counted performance"), ("money", "Money")], "Deducted from", required=True,
        readonly=True, default="performance",
        help="Bonus-counted performance: the amount is taken off the sales results the salesperson's bonus is "
        "counted on, not paid. Money: what a guarantor answers for with their salary.")
    basis = fields.Monetary(readonly=True, help="Amount of the invoice the rate applies to: the invoice's amount, "
                            "or its open amount, as the settings say.")
    open_amount = fields.Monetary("Open at the deduction", readonly=True,
                                  help="What was still open on the invoice: recoveries are measured against it.")
    rate = fields.Float("Rate (%)", digits=(16, 2), readonly=True)
    amount = fields.Monetary(readonly=True, help="Deductions positive, refunds negative.")
    payroll = fields.Boolean(compute="_compute_payroll", store=True,
                             help="Counts in the monthly payroll totals (deductions and refunds).")
    note = fields.Char(readonly=True)

    @api.depends("date")
    def _compute_period(self):
        for entry in self:
            entry.period = self._period_of(entry.date)

    @api.model
    def _period_of(self, date):
        return date.strftime("%Y-%m") if date else False

    @api.depends("kind")
    def _compute_payroll(self):
        for entry in self:
            entry.payroll = entry.kind in ("deduction", "refund")

    @api.model
    def _ctrl_deduct(self, moves, level):
        """Book the increase of the deduction rate for each invoice:
        {move: entry} (none where the rate was already reached)."""
        vals_list, owners = self._ctrl_deduction_vals(moves, level)
        # Thousands per ladder batch: plain ledger rows, written in one statement.
        today = fields.Date.context_today(self)
        for vals in vals_list:
            vals.update(date=today, period=self._period_of(today), payroll=True)
        return dict(zip(owners, self.sudo()._ctrl_insert_rows(vals_list)))

    @api.model
    def _ctrl_deduction_vals(self, moves, level):
        """The deductions ``level`` books on ``moves`` (also what the go-live
        preview counts): ([values], [their invoices])."""
        done = dict(self._read_group([("move_id", "in", moves.ids), ("kind", "=", "deduction")],
                                     ["move_id"], ["rate:sum"]))
        vals_list, owners = [], []
        for move in moves.filtered("invoice_user_id"):
            rate = level.ctrl_recv_deduction - done.get(move, 0.0)
            if rate <= 0:
                continue
            basis = move.amount_total_signed if move.company_id.ctrl_recv_deduction_basis == "invoice" \
                else move.amount_residual_signed
            vals_list.append({
                "kind": "deduction", "measure": "performance", "user_id": move.invoice_user_id.id,
                "move_id": move.id, "partner_id": move.commercial_partner_id.id, "company_id": move.company_id.id,
                "level_id": level.id, "basis": basis, "open_amount": move.amount_residual_signed, "rate": rate,
                "amount": move.company_currency_id.round(basis * rate / 100.0),
                "note": level.name,
            })
            owners.append(move)
        return vals_list, owners

    @api.model
    def _ctrl_refund_recovered(self):
        """Refund deductions as their invoices are recovered: the deducted
        total times the share of the largest open amount at a deduction since
        paid (write-offs are not recoveries). Set-based; books only what is still due."""
        self.flush_model()
        self.env["account.move"].flush_model(["amount_residual_signed", "ctrl_recv_written_off"])
        self.env.cr.execute(SQL(
            """
            WITH ledger AS (
                SELECT move_id, user_id, company_id, partner_id,
                       MIN(measure) FILTER (WHERE kind = 'deduction') AS measure,
                       MAX(open_amount) FILTER (WHERE kind = 'deduction') AS basis,
                       SUM(amount) FILTER (WHERE kind = 'deduction') AS deducted,
                       -COALESCE(SUM(amount) FILTER (WHERE kind = 'refund'), 0) AS refunded
                  FROM ctrl_recv_accountability WHERE move_id IS NOT NULL AND kind IN ('deduction', 'refund')
                 GROUP BY move_id, user_id, company_id, partner_id
            )
            SELECT ledger.move_id, ledger.user_id, ledger.company_id, ledger.partner_id, ledger.measure,
                   ledger.deducted * LEAST(1, GREATEST(0, ledger.basis - move.amount_residual_signed
                                                      - COALESCE(move.ctrl_recv_written_off, 0)) / ledger.basis)
                   - ledger.refunded
              FROM ledger JOIN account_move move ON move.id = ledger.move_id
             WHERE ledger.basis > 0
            """))
        vals_list = []
        for move_id, user_id, company_id, partner_id, measure, due in self.env.cr.fetchall():
            company = self.env["res.company"].browse(company_id)
            due = company.currency_id.round(due)
            if company.currency_id.compare_amounts(due, 0.0) > 0:
                vals_list.append({"kind": "refund", "measure": measure, "move_id": move_id, "user_id": user_id,
                                  "company_id": company_id, "partner_id": partner_id, "amount": -due,
                                  "note": _("Recovered")})
        return self.sudo().create(vals_list)

    @api.model
    def _ctrl_guarantee(self, hold, guarantor, request):
        """003/D16: the guarantor of a released hold answers for the customer's
        overdue debt with their salary: recorded against them."""
        partner = hold.partner_id
        overdue = self.env["ctrl.collection.case"].new({"partner_id": partner.id,
                                                        "company_id": hold.company_id.id}).overdue_amount
        return self.sudo().create({
            "kind": "guarantee", "measure": "money", "user_id": guarantor.id, "partner_id": partner.id,
            "company_id": hold.company_id.id, "amount": overdue,
            "note": _("Guarantor of the release %(request)s", request=request.name),
        })

    # Payroll export --------------------------------------------------------------
    def action_export_payroll(self):
        """Monthly totals per salesperson of these entries (deductions less refunds) as XLSX."""
        return self.env.ref("ctrl_receivable.report_accountability_payroll_xlsx").report_action(self)

    @api.depends("kind", "user_id.name", "period")
    @api.depends_context("lang")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for entry in self:
            entry.display_name = " - ".join(filter(None, [kinds.get(entry.kind), entry.user_id.name, entry.period]))
