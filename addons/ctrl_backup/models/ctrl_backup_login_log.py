# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class CtrlBackupLoginLog(models.Model):
    _name = "ctrl.backup.login.log"
    _rec_name = "login"
    _description = "Login Log"
    _order = "id desc"
    _log_access = False

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    login = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, ondelete="set null", index="btree_not_null")
    company_id = fields.Many2one("res.company", readonly=True, index=True,
                                 help="The user's company; empty for a login that names no user.")
    success = fields.Boolean(readonly=True)
    ip = fields.Char("IP address", readonly=True)

    @api.model
    def _cron_prune(self, batch=10000):
        """Delete logs older than the kept period (at least 60 days, seed 002 A8.7); batched."""
        if not self.env["res.company"]._ctrl_live_companies():
            return 0
        days = max(60, int(self.env["ir.config_parameter"].sudo().get_param("ctrl_backup.login_log_days", 90)))
        limit = fields.Datetime.now() - timedelta(days=days)
        deleted = 0
        while True:
            self.env.cr.execute(
                "DELETE FROM ctrl_backup_login_log WHERE id IN "
                "(SELECT id FROM ctrl_backup_login_log WHERE date < %s LIMIT %s)", (limit, batch))
            deleted += self.env.cr.rowcount
            if self.env.cr.rowcount < batch:
                break
        self.env["ir.cron"]._notify_progress(done=deleted, remaining=0)
        return deleted
