# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..tools.i18n import installed_langs


class IrCron(models.Model):
    _inherit = "ir.cron"

    def _add_progress(self, *, timed_out_counter=None):
        # Odoo runs scheduled actions (on time or with Run Manually) without a language: their sentences
        # (_()) come out in the cron user's language, the names they quote in English. Both in the cron
        # user's language instead.
        cron, progress = super()._add_progress(timed_out_counter=timed_out_counter)
        lang = cron.env.user.lang
        if not cron.env.lang and lang in installed_langs(cron.env):
            cron = cron.with_context(lang=lang)
        return cron, progress
