# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, drop_index, index_exists


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    # The dates of the two lines, so that aging as of a past date looks up only
    # the sides dated on or before it (a partial after the date mostly joins a
    # later payment, whose line needs no lookup). Posted lines keep their date.
    ctrl_debit_date = fields.Date(related="debit_move_id.date", store=True, string="Debit Line Date")
    ctrl_credit_date = fields.Date(related="credit_move_id.date", store=True, string="Credit Line Date")

    def _auto_init(self):
        # Filled in one statement on install, instead of recomputing every
        # partial of a large database through the ORM.
        cr = self.env.cr
        if not column_exists(cr, self._table, "ctrl_debit_date"):
            create_column(cr, self._table, "ctrl_debit_date", "date")
            create_column(cr, self._table, "ctrl_credit_date", "date")
            cr.execute("""
                UPDATE account_partial_reconcile part
                   SET ctrl_debit_date = debit.date, ctrl_credit_date = credit.date
                  FROM account_move_line debit, account_move_line credit
                 WHERE debit.id = part.debit_move_id AND credit.id = part.credit_move_id""")
        return super()._auto_init()

    def init(self):
        result = super().init()
        # Aging as of a past date reads only the partials dated after it, from
        # this index alone (it carries every column the aging reads of them).
        cr = self.env.cr
        drop_index(cr, "ctrl_account_partial_reconcile_max_date_idx", self._table)
        if not index_exists(cr, "ctrl_account_partial_reconcile_later_idx"):
            cr.execute(SQL(
                """CREATE INDEX ctrl_account_partial_reconcile_later_idx ON %s (max_date)
                   INCLUDE (debit_move_id, credit_move_id, amount, debit_amount_currency, credit_amount_currency,
                            ctrl_debit_date, ctrl_credit_date)""",
                SQL.identifier(self._table)))
        return result
