# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, http
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

from odoo.addons.web.controllers.home import Home

from ..models.res_users import PASSWORD_URL


def _session_user():
    """The signed-in user, or the one half-way through a login (password to change, second factor)."""
    uid = request.db and (request.session.uid or request.session.get("pre_uid"))
    return request.env["res.users"].sudo().browse(uid).exists() if uid else None


class CtrlBackupHome(Home):
    """A user whose password is temporary or too old changes it before anything else."""

    @http.route()
    def web_client(self, s_action=None, **kw):
        user = _session_user()
        if user and user._ctrl_password_change_reason():
            return request.redirect(PASSWORD_URL, 303)
        return super().web_client(s_action=s_action, **kw)

    @http.route(PASSWORD_URL, type="http", auth="public", methods=["GET", "POST"], sitemap=False)
    def ctrl_backup_password(self, old_password=None, new_password=None, confirm_password=None, redirect=None,
                             **kw):
        user = _session_user()
        if not user:
            return request.redirect("/web/login", 303)
        env = request.env(user=user.id)
        values = {"reason": user._ctrl_password_change_reason(), "error": None, "redirect": redirect}
        if request.httprequest.method == "POST":
            if not new_password or new_password != confirm_password:
                values["error"] = _("The new password and its confirmation must be identical.")
            elif new_password == old_password:
                values["error"] = _("Choose a password different from the current one.")
            else:
                try:
                    env["res.users"].change_password(old_password, new_password)
                except AccessDenied:
                    values["error"] = _("The current password is wrong.")
                except UserError as error:
                    values["error"] = error.args[0]
                else:
                    return request.redirect(self._ctrl_password_changed(env, redirect), 303)
        return request.render("ctrl_backup.password_change_page", values)

    def _ctrl_password_changed(self, env, redirect):
        """Where a user goes once the password changed: a second factor if one is set, else the login is
        complete."""
        env.flush_all()
        if request.session.uid:
            # The password is part of the session token: keep the user signed in.
            request.session.session_token = env.user._compute_session_token(request.session.sid)
            return redirect or "/odoo"
        next_step = env.user._mfa_url()
        if next_step:
            return next_step
        request.session.finalize(env)
        request.update_env(user=request.session.uid)
        return self._login_redirect(request.session.uid, redirect=redirect)
