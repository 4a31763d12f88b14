# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class CtrlBackupRunner(models.AbstractModel):
    """Once the runner finished a verified local copy, the off-site copy follows; pruning covers both."""

    _inherit = "ctrl.backup.runner"

    @api.model
    def _after_local_copy(self, plan, log):
        copies = super()._after_local_copy(plan, log) or self.env["ctrl.backup.log"]
        if plan.offsite_remote_id:
            copies |= self.env["ctrl.backup.offsite"]._copy(plan, log)
        return copies

    @api.model
    def _prune(self, plan):
        pruned = super()._prune(plan)
        if plan.offsite_remote_id or plan.log_ids.filtered(lambda log: log.kind == "offsite"):
            pruned |= self.env["ctrl.backup.offsite"]._prune(plan)
        return pruned
