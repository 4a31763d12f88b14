# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class CtrlSixsUnneededItem(models.Model):
    """The sort register (整理清单): what is not needed here and what happens to it."""

    _name = "ctrl.sixs.unneeded.item"
    _description = "6S Unneeded Item"
    _inherit = ["mail.thread", "ctrl.lifecycle.mixin"]
    _order = "id desc"

    # Listed: anyone of the area writes it; the 6S manager approves the disposition.
    _ctrl_protected_fields = ("approver_id", "date_done")
    _ctrl_content_fields = ("name", "area_id", "quantity", "need_class", "frequency", "reason", "disposition")

    name = fields.Char("Item", required=True, tracking=True)
    area_id = fields.Many2one("ctrl.sixs.area", required=True, index=True)
    quantity = fields.Float(default=1.0)
    need_class = fields.Selection([("necessary", "Necessary"), ("unnecessary", "Unnecessary")],
                                  default="unnecessary", required=True, tracking=True)
    frequency = fields.Selection([("daily", "Daily use"), ("common", "Common"), ("rare", "Rarely used")],
                                 "Use frequency", default="rare", required=True)
    reason = fields.Text()
    disposition = fields.Selection(
        [("keep", "Keep at the place of use"), ("relocate", "Relocate"), ("store", "Return to the store"),
         ("scrap", "Scrap"), ("sell", "Sell"), ("discard", "Discard")], tracking=True)
    approver_id = fields.Many2one("res.users", readonly=True, tracking=True)
    date_done = fields.Date(readonly=True, tracking=True)
    state = fields.Selection([("draft", "Listed"), ("approved", "Approved"), ("done", "Done")],
                             default="draft", required=True, tracking=True)
    company_id = fields.Many2one(related="area_id.company_id", store=True, index=True)

    def action_approve(self):
        if not self.env.su and not self.env.user.has_group("ctrl_sixs.group_sixs_manager"):
            raise AccessError(self.env._("Only 6S managers approve dispositions."))
        for item in self:
            if not item.disposition:
                raise UserError(self.env._("Item %(item)s: choose the disposition before approving.",
                                           item=item.name))
            if item.state != "draft":
                raise UserError(self.env._("Item %(item)s was already approved.", item=item.name))
        self._ctrl_set_state("approved", approver_id=self.env.uid)
        return True

    def action_done(self):
        """Whoever may edit the item records that the approved disposition was carried out."""
        self.check_access("write")
        if self.filtered(lambda i: i.state != "approved"):
            raise UserError(self.env._("Only an approved disposition is carried out."))
        self._ctrl_set_state("done", date_done=fields.Date.context_today(self))
        return True
