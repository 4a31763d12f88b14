# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A rejection now returns a loan, destruction or restore request to draft (ctrl.lifecycle.mixin): the old
"refused" state is gone."""


def migrate(cr, version):
    for table in ("ctrl_backup_loan", "ctrl_backup_destruction", "ctrl_backup_restore_request"):
        cr.execute(f"UPDATE {table} SET state = 'draft' WHERE state = 'refused'")
