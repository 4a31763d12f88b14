# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    ctrl_password_changed_at = fields.Datetime(
        "Password changed on", readonly=True, copy=False,
        help="When the user last chose their password (change it every 3 months).")
    ctrl_password_must_change = fields.Boolean(
        "Must change password", readonly=True, copy=False,
        help="Set when someone else set the password (new account, reset): the user changes it at the next "
        "login (seed 002-004 Part D #4).")

    def _set_password(self):
        params = self.env["ir.config_parameter"].sudo()
        minlength = int(params.get_param("ctrl_backup.password_minlength", 10))
        own = self.filtered(lambda user: user.id == self.env.uid and user.password)
        for user in own:
            if len(user.password) < minlength:
                raise UserError(_("Your new password must have at least %(min)s characters (it has %(len)s): "
                                  "choose a longer one (company rule, setting 'Minimum length of a chosen "
                                  "password').", min=minlength, len=len(user.password)))
        # Read before super(): it clears the cached clear-text passwords.
        others = (self - own).filtered("password")
        result = super()._set_password()
        now = fields.Datetime.now()
        if own:
            own.sudo().write({"ctrl_password_changed_at": now, "ctrl_password_must_change": False})
        if others:
            # Set by an administrator: a temporary password, to be replaced at the next login.
            first_login = params.get_param("ctrl_backup.password_first_login", "True") not in ("False", "0", "")
            by_person = not self.env.su and self.env.uid != SUPERUSER_ID
            others.sudo().write({"ctrl_password_changed_at": now,
                                 "ctrl_password_must_change": bool(first_login and by_person)})
        return result

    def _ctrl_password_change_reason(self):
        """Why the user must change their password now ('' when they need not)."""
        self.ensure_one()
        if self.share:
            return ""
        if self.ctrl_password_must_change:
            return _("Your password was set by an administrator: choose your own password.")
        max_age = int(self.env["ir.config_parameter"].sudo().get_param("ctrl_backup.password_max_age_days", 90))
        since = self.ctrl_password_changed_at or self.create_date
        if max_age > 0 and since and since < fields.Datetime.now() - timedelta(days=max_age):
            return _("Your password is more than %s days old: choose a new one.", max_age)
        return ""

    # ------------------------------------------------------------------ login log
    @classmethod
    def _login(cls, db, credential, user_agent_env):
        try:
            auth_info = super()._login(db, credential, user_agent_env)
        except AccessDenied:
            cls._ctrl_log_login(credential.get("login"), False)
            raise
        cls._ctrl_log_login(credential.get("login"), True, auth_info.get("uid"))
        return auth_info

    @classmethod
    def _ctrl_log_login(cls, login, success, uid=None):
        """Keep every login, successful or not (res.users.log keeps only the latest per user)."""
        ip = request.httprequest.environ.get("REMOTE_ADDR") if request else "n/a"
        try:
            with cls.pool.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                if not uid and login:
                    uid = env["res.users"].with_context(active_test=False).search(
                        [("login", "=", login)], limit=1).id
                env["ctrl.backup.login.log"].create({
                    "login": (login or "")[:128], "user_id": uid or False, "success": success, "ip": ip,
                })
        except Exception:  # the log must never stop a login
            _logger.exception("Could not write the login log for %s", login)


class CtrlBackupLoginLog(models.Model):
    _name = "ctrl.backup.login.log"
    _rec_name = "login"
    _description = "Login Log"
    _order = "id desc"
    _log_access = False

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    login = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, ondelete="set null", index="btree_not_null")
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
