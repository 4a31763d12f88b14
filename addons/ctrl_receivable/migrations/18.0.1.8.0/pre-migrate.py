# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The invoices' customer is indexed for every invoice (the collection levels look up the invoices of a
batch's customers, paid ones included): the index over the open invoices only, which it replaces, goes."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("DROP INDEX IF EXISTS account_move_ctrl_recv_open_partner_idx")
