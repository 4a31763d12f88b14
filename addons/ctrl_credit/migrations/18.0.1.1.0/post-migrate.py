# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A rejection returns a document to draft (ctrl.lifecycle.mixin): the old
'rejected' state of credit evaluations and limit changes becomes 'draft'."""


def migrate(cr, version):
    if not version:
        return
    for table in ("ctrl_credit_evaluation", "ctrl_credit_limit_change"):
        cr.execute(f"UPDATE {table} SET state = 'draft' WHERE state = 'rejected'")
