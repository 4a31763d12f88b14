# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

_logger = logging.getLogger(__name__)
# The page where a user whose password must change chooses a new one; nothing else is open to them until then.
PASSWORD_URL = "/web/ctrl_backup/password"


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

    # ------------------------------------------------------------------ every entry point
    def _check_credentials(self, credential, env):
        """Connections of other programs (XML-RPC, JSON-RPC, API keys) are refused while the password must
        change: only the web client's change-password page is open then (seed 002-004 Part D #4)."""
        auth_info = super()._check_credentials(credential, env)
        if not (env or {}).get("interactive", True):
            user = self.env.user
            reason = user._ctrl_password_change_reason()
            # An API key is a credential of its own: an old password does not stop it, a temporary one does.
            if reason and (user.ctrl_password_must_change or auth_info.get("auth_method") != "apikey"):
                raise AccessDenied(_("%s Sign in to the web client and change it first: until then, other "
                                     "connections are refused.", reason))
        return auth_info

    def _mfa_url(self):
        """A web login whose password must change stays a partial session (as with a second factor): the
        change-password page is the only page open to it, and it completes the login once the password
        changed. A second factor, if any, comes after."""
        if self._ctrl_password_change_reason():
            return PASSWORD_URL
        return super()._mfa_url()

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
                user = env["res.users"].browse(uid).exists()
                if not user and login:
                    user = env["res.users"].with_context(active_test=False).search([("login", "=", login)], limit=1)
                env["ctrl.backup.login.log"].create({
                    "login": (login or "")[:128], "user_id": user.id, "company_id": user.company_id.id,
                    "success": success, "ip": ip,
                })
        except Exception:  # the log must never stop a login
            _logger.exception("Could not write the login log for %s", login)

