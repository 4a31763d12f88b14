# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import UserError


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_writeoff_evidence(self):
        """A file approved as evidence stays: deleting it would change what was approved."""
        evidence = self.env["ctrl.writeoff.evidence"].sudo().search([("attachment_ids", "in", self.ids)])
        locked = evidence.writeoff_id.filtered(lambda w: not w._ctrl_is_draft())
        if locked:
            raise UserError(_("%(files)s is evidence of write-off %(name)s, which is submitted or approved: it "
                              "cannot be deleted.", files=", ".join(self.mapped("name")),
                              name=", ".join(locked.mapped("name"))))
