# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class CtrlBackupRunner(models.AbstractModel):
    """Once the runner finished a verified local copy, the off-site copy follows; pruning covers both."""

    _inherit = "ctrl.backup.runner"

    @api.model
    def _after_local_copy(self, plan, log):
        """The off-site copy's job, started once the local copy is done; None when it could not start (its log
        then says why) or the plan has no target."""
        job = super()._after_local_copy(plan, log)
        if job or not plan.offsite_remote_id:
            return job
        return self.env["ctrl.backup.offsite"]._start_copy(plan, log)[1]

    @api.model
    def _finish_offsite(self, plan, job, status):
        """Record the off-site job's result on its log, then prune both copies."""
        copy = self.env["ctrl.backup.log"].browse(job["offsite_log"])
        self.env["ctrl.backup.offsite"]._finish_copy(copy, status)
        self._prune(plan)
        return copy

    @api.model
    def _prune(self, plan):
        pruned = super()._prune(plan)
        if plan.offsite_remote_id or plan.log_ids.filtered(lambda log: log.kind == "offsite"):
            pruned |= self.env["ctrl.backup.offsite"]._prune(plan)
        return pruned
