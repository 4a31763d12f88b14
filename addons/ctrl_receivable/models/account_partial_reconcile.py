# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, drop_index, index_exists

LATER_INDEX = "ctrl_account_partial_reconcile_later_idx"
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

    def _auto_init(self):
        # Created empty, before the ORM sees them, so that installing neither
        # computes nor writes every partial of a large database (the table
        # would stay locked for the whole install): the scheduled action
        # "prepare the aging of existing partials" fills them afterwards.
        cr = self.env.cr
        if not column_exists(cr, self._table, "ctrl_debit_date"):
            create_column(cr, self._table, "ctrl_debit_date", "date")
            create_column(cr, self._table, "ctrl_credit_date", "date")
        return super()._auto_init()

    def init(self):
        result = super().init()
        drop_index(self.env.cr, "ctrl_account_partial_reconcile_max_date_idx", self._table)
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
            self.flush_model(["ctrl_debit_date", "ctrl_credit_date"])
            cr.execute(SQL(
                """UPDATE account_partial_reconcile part
                      SET ctrl_debit_date = debit.date, ctrl_credit_date = credit.date
                     FROM account_move_line debit, account_move_line credit
                    WHERE debit.id = part.debit_move_id AND credit.id = part.credit_move_id
                      AND part.id >= %(start)s AND part.id < %(end)s
                      AND (part.ctrl_debit_date IS NULL OR part.ctrl_credit_date IS NULL)""",
                start=start, end=start + batch_size))
            done = cr.rowcount
            self.invalidate_model(["ctrl_debit_date", "ctrl_credit_date"])
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
               INCLUDE (debit_move_id, credit_move_id, amount, debit_amount_currency, credit_amount_currency,
                        ctrl_debit_date, ctrl_credit_date)""",
            SQL.identifier(LATER_INDEX), SQL.identifier(self._table)))
