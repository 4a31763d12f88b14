# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""- 001/AR06.19: receivables more than 360 days past due are a class of their own, bad, no longer
  sluggish. The lines of the aging reports already made follow.
- 001/AR03.16: the ledger says what a deduction comes off (the bonus-counted performance; a guarantor's
  debt is money), and keeps the open amount that recoveries are measured against: the earlier
  deductions were a share of the open amount, so it equals their basis."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE ctrl_aging_report_line SET ar_class = 'bad' WHERE ar_class = 'sluggish' AND days_due > 360")
    cr.execute("UPDATE ctrl_recv_accountability SET measure = 'money' WHERE kind = 'guarantee'")
    cr.execute("UPDATE ctrl_recv_accountability SET open_amount = basis "
               "WHERE kind = 'deduction' AND open_amount IS NULL")
