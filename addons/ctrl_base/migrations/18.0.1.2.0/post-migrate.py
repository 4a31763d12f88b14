# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def migrate(cr, version):
    """Go-live dates (issue #24): a database upgraded from an earlier version
    already ran the internal controls, so every company stays active, with no
    go-live date, which means no cut-off (nothing is treated as history).
    A fresh install starts with the controls off."""
    cr.execute("UPDATE res_company SET ctrl_live = TRUE, ctrl_go_live_date = NULL, "
               "ctrl_backlog_policy = COALESCE(ctrl_backlog_policy, 'ignore')")
