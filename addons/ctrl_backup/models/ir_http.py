# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import AccessDenied
from odoo.http import request

from .res_users import PASSWORD_URL


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _auth_method_user(cls):
        """A web login whose password must change is a partial session: say so plainly to its calls
        (/web/dataset/call_kw and every other signed-in route) instead of "session expired"."""
        pre_uid = request.session.get("pre_uid")
        if request.session.uid is None and pre_uid:
            user = request.env["res.users"].sudo().browse(pre_uid).exists()
            reason = user and user._ctrl_password_change_reason()
            if reason:
                raise AccessDenied(_("%(reason)s Nothing else is open until you change it at %(url)s.",
                                     reason=reason, url=PASSWORD_URL))
        return super()._auth_method_user()
