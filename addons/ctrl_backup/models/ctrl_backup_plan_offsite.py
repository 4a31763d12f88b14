# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CtrlBackupPlan(models.Model):
    """A plan of this Odoo database may name an off-site target for its second copy (seed 000 B09-05). The
    target is part of what the plan's approval covers (APPROVED_FIELDS): changing it sends the plan back."""

    _inherit = "ctrl.backup.plan"

    offsite_remote_id = fields.Many2one(
        "ctrl.backup.remote", string="Off-site target", tracking=True, ondelete="restrict",
        domain="[('company_id', '=', company_id)]",
        help="Where each backup's second copy is sent, encrypted, once the local copy is done. Changing it "
        "sends the plan back for approval.")

    @api.onchange("offsite_remote_id")
    def _onchange_offsite_remote_id(self):
        if self.offsite_remote_id:
            self.offsite_copy = True
            self.copies = max(self.copies, 2)

    @api.constrains("offsite_remote_id", "offsite_copy", "plan_type", "company_id")
    def _check_offsite_remote(self):
        for plan in self.filtered("offsite_remote_id"):
            if plan.plan_type != "odoo_db":
                raise ValidationError(_("Plan %s: only plans of type 'This Odoo database' send an off-site copy. "
                                        "Clear Off-site target.", plan.name))
            if not plan.offsite_copy:
                raise ValidationError(_("Plan %s: a plan with an off-site target keeps an off-site copy. Tick "
                                        "Off-site copy or clear Off-site target.", plan.name))
            if plan.offsite_remote_id.company_id != plan.company_id:
                raise ValidationError(_("Plan %s: the off-site target belongs to another company. Choose a target "
                                        "of the plan's company.", plan.name))

    def _is_overdue(self, now):
        """Also overdue when the latest off-site copy failed and none succeeded since."""
        if super()._is_overdue(now):
            return True
        copies = self.log_ids.filtered(lambda log: log.kind == "offsite").sorted("start")
        return bool(self.offsite_remote_id and copies and copies[-1].result == "failed")
