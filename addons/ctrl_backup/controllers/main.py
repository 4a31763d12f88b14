# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, http
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

from odoo.addons.web.controllers.home import Home

PASSWORD_URL = "/web/ctrl_backup/password"


def _change_reason():
    if not (request.db and request.session.uid):
        return ""
    user = request.env["res.users"].sudo().browse(request.session.uid).exists()
    return user._ctrl_password_change_reason() if user else ""


class CtrlBackupHome(Home):
    """Send a user whose password is temporary or too old to the change-password page."""

    def _login_redirect(self, uid, redirect=None):
        user = request.env["res.users"].sudo().browse(uid)
        if user.exists() and user._ctrl_password_change_reason():
            return PASSWORD_URL
        return super()._login_redirect(uid, redirect=redirect)

    @http.route()
    def web_client(self, s_action=None, **kw):
        if _change_reason():
            return request.redirect(PASSWORD_URL, 303)
        return super().web_client(s_action=s_action, **kw)

    @http.route(PASSWORD_URL, type="http", auth="user", methods=["GET", "POST"], sitemap=False)
    def ctrl_backup_password(self, old_password=None, new_password=None, confirm_password=None, **kw):
        values = {"reason": _change_reason(), "error": None}
        if request.httprequest.method == "POST":
            if not new_password or new_password != confirm_password:
                values["error"] = _("The new password and its confirmation must be identical.")
            elif new_password == old_password:
                values["error"] = _("Choose a password different from the current one.")
            else:
                try:
                    request.env["res.users"].change_password(old_password, new_password)
                except AccessDenied:
                    values["error"] = _("The current password is wrong.")
                except UserError as error:
                    values["error"] = error.args[0]
                else:
                    return request.redirect("/odoo", 303)
        return request.render("ctrl_backup.password_change_page", values)
