# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, drop_index, index_exists

LATER_INDEX = "ctrl_account_partial_reconcile_later_sides_idx"
# The index of release 18.0.1.6.0 and before, without the line values (dropped on update).
OLD_LATER_INDEX = "ctrl_account_partial_reconcile_later_idx"
# The line values the partial keeps (column: type, line column), filled for the existing partials in batches.
LINE_COLUMNS = {
    "ctrl_debit_date": ("date", "debit.date"),
    "ctrl_credit_date": ("date", "credit.date"),
    "ctrl_account_id": ("int4", "debit.account_id"),
    "ctrl_debit_partner_id": ("int4", "debit.partner_id"),
    "ctrl_credit_partner_id": ("int4", "credit.partner_id"),
    "ctrl_debit_maturity": ("date", "debit.date_maturity"),
    "ctrl_credit_maturity": ("date", "credit.date_maturity"),
    "ctrl_debit_invoice_date": ("date", "debit.invoice_date"),
    "ctrl_credit_invoice_date": ("date", "credit.invoice_date"),
    "ctrl_debit_reconciled": ("bool", "debit.reconciled"),
    "ctrl_credit_reconciled": ("bool", "credit.reconciled"),
}
FILL_FROM_PARAM = "ctrl_receivable.partial_dates_from_id"


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    # The dates of the two lines, so that aging as of a past date looks up only
    # the sides dated on or before it (a partial after the date mostly joins a
    # later payment, whose line needs no lookup). Posted lines keep their date.
    # Empty on the partials that existed at install until the scheduled action
    # fills them: the aging then looks their lines up (see _later_sides_sql).
    ctrl_debit_date = fields.Date(related="debit_move_id.date", store=True, string="Debit Line Date")
    ctrl_credit_date = fields.Date(related="credit_move_id.date", store=True, string="Credit Line Date")
    # What the grouped aging reads of the two lines, so that it sums the
    # partials dated after a date without looking their lines up (see the
    # engine's _later_side_items_sql). Both lines of a partial are on one
    # account (Odoo reconciles lines of the same account only). Empty on the
    # partials that existed before, until the scheduled action fills them.
    ctrl_account_id = fields.Many2one(related="debit_move_id.account_id", store=True, string="Reconciled Account")
    ctrl_debit_partner_id = fields.Many2one(related="debit_move_id.partner_id", store=True,
                                            string="Debit Line Partner")
    ctrl_credit_partner_id = fields.Many2one(related="credit_move_id.partner_id", store=True,
                                             string="Credit Line Partner")
    ctrl_debit_maturity = fields.Date(related="debit_move_id.date_maturity", store=True,
                                      string="Debit Line Due Date")
    ctrl_credit_maturity = fields.Date(related="credit_move_id.date_maturity", store=True,
                                       string="Credit Line Due Date")
    ctrl_debit_invoice_date = fields.Date(related="debit_move_id.invoice_date", store=True,
                                          string="Debit Line Invoice Date")
    ctrl_credit_invoice_date = fields.Date(related="credit_move_id.invoice_date", store=True,
                                           string="Credit Line Invoice Date")
    # Whether each line is reconciled today, kept by create and unlink below
    # (the ORM does not carry the lines' recomputed state to a related field).
    ctrl_debit_reconciled = fields.Boolean("Debit Line Reconciled", readonly=True, copy=False)
    ctrl_credit_reconciled = fields.Boolean("Credit Line Reconciled", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        self._ctrl_refresh_reconciled(partials.debit_move_id | partials.credit_move_id)
        return partials

    def unlink(self):
        lines = self.debit_move_id | self.credit_move_id
        result = super().unlink()
        self._ctrl_refresh_reconciled(lines.exists())
        return result

    @api.model
    def _ctrl_refresh_reconciled(self, lines):
        """Copy whether ``lines`` are reconciled now onto all their partials:
        a reconciliation made or undone changes it."""
        if not lines:
            return
        lines.flush_recordset(["reconciled"])
        self.flush_model(["debit_move_id", "credit_move_id"])
        self.env.cr.execute(SQL(
            """UPDATE account_partial_reconcile part
                  SET ctrl_debit_reconciled = debit.reconciled, ctrl_credit_reconciled = credit.reconciled
                 FROM account_move_line debit, account_move_line credit
                WHERE debit.id = part.debit_move_id AND credit.id = part.credit_move_id
                  AND (part.debit_move_id = ANY(%(lines)s) OR part.credit_move_id = ANY(%(lines)s))""",
            lines=lines.ids))
        self.invalidate_model(["ctrl_debit_reconciled", "ctrl_credit_reconciled"])

    def _auto_init(self):
        # Created empty, before the ORM sees them, so that installing neither
        # computes nor writes every partial of a large database (the table
        # would stay locked for the whole install): the scheduled action
        # "prepare the aging of existing partials" fills them afterwards.
        cr = self.env.cr
        for column, (column_type, _line_column) in LINE_COLUMNS.items():
            if not column_exists(cr, self._table, column):
                create_column(cr, self._table, column, column_type)
        return super()._auto_init()

    def init(self):
        result = super().init()
        drop_index(self.env.cr, "ctrl_account_partial_reconcile_max_date_idx", self._table)
        drop_index(self.env.cr, OLD_LATER_INDEX, self._table)
        return result

    @api.model
    def _cron_ctrl_fill_line_dates(self, batch_size=50000):
        """Fill the line dates of the partials that existed at install, one
        range of ids per call (the cron commits between calls), then create
        the aging's covering index, then deactivate. Idempotent: only empty
        dates are written, and an existing index means all is done."""
        cr = self.env.cr
        if index_exists(cr, LATER_INDEX):
            self.env["ir.cron"]._notify_progress(done=0, remaining=0, deactivate=True)
            return
        params = self.env["ir.config_parameter"].sudo()
        start = int(params.get_param(FILL_FROM_PARAM, 0))
        cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(self._table)))
        last_id = cr.fetchone()[0]
        if start <= last_id:
            self.flush_model(list(LINE_COLUMNS))
            # The account is never empty once filled: it tells the partials still to fill.
            cr.execute(SQL(
                """UPDATE account_partial_reconcile part SET %(values)s
                     FROM account_move_line debit, account_move_line credit
                    WHERE debit.id = part.debit_move_id AND credit.id = part.credit_move_id
                      AND part.id >= %(start)s AND part.id < %(end)s
                      AND (part.ctrl_account_id IS NULL OR part.ctrl_debit_date IS NULL
                           OR part.ctrl_credit_date IS NULL)""",
                values=SQL(", ").join(SQL("%s = %s", SQL.identifier(column), SQL(line_column))
                                      for column, (_type, line_column) in LINE_COLUMNS.items()),
                start=start, end=start + batch_size))
            done = cr.rowcount
            self.invalidate_model(list(LINE_COLUMNS))
            params.set_param(FILL_FROM_PARAM, start + batch_size)
            ids_left = max(0, last_id + 1 - start - batch_size)
            ranges_left = -(-ids_left // batch_size)
            # done is at least 1: a call reporting nothing done would end the run.
            self.env["ir.cron"]._notify_progress(done=max(done, 1), remaining=ranges_left + 1)  # + the index
            return
        self._ctrl_create_later_index()
        params.set_param(FILL_FROM_PARAM, False)
        self.env["ir.cron"]._notify_progress(done=1, remaining=0, deactivate=True)

    def _ctrl_create_later_index(self):
        # Aging as of a past date reads only the partials dated after it, from
        # this index alone (it carries every column the aging reads of them).
        # Built after the dates are filled, so that filling them does not
        # rewrite it; the lock it takes lasts one build, not the install.
        self.env.cr.execute(SQL(
            """CREATE INDEX IF NOT EXISTS %s ON %s (max_date)
               INCLUDE (debit_move_id, credit_move_id, company_id, amount, debit_amount_currency,
                        credit_amount_currency, %s)""",
            SQL.identifier(LATER_INDEX), SQL.identifier(self._table),
            SQL(", ").join(SQL.identifier(column) for column in LINE_COLUMNS)))
