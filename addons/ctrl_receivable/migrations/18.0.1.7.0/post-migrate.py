# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The reconciliations keep the values of their lines that the grouped aging reads (partner, due and invoice
dates, account, reconciled). The columns were created empty on the update and the index without them was
dropped: the scheduled action that prepares the aging runs again, fills them a range of ids per call and
creates the new index. Until then the aging looks the lines up, with the same result."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["ir.config_parameter"].set_param("ctrl_receivable.partial_dates_from_id", 0)
    cron = env.ref("ctrl_receivable.ir_cron_fill_partial_dates", raise_if_not_found=False)
    if cron:
        cron.write({"active": True, "nextcall": cron.nextcall.now()})
