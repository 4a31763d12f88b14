# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a batched scheduled action reports as left to do."""
from odoo.tools import SQL

# Rows left are counted up to this many batches. An exact count read every
# row left on each call, so a run over a million of them read about five
# hundred million rows; ir.cron only needs to know that work remains.
COUNTED_BATCHES = 10


def remaining_sql(query, batch_size):
    """SELECT of how many rows ``query`` (a SELECT without LIMIT) returns,
    counted up to ``COUNTED_BATCHES`` batches of ``batch_size``."""
    return SQL("SELECT count(*) FROM (%s LIMIT %s) remaining", query, COUNTED_BATCHES * batch_size)
