# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

# Set only by the off-site copy (ctrl.backup.offsite), never by a client.
OFFSITE_FIELDS = {"remote_id", "local_log_id", "remote_hash", "filestore_remote_hash"}


class CtrlBackupLog(models.Model):
    """A backup log records both copies: the local backup, and its off-site copy as a log of kind "Off-site
    copy" linked to it (target, files, size, sha256 of what was sent and the target's own checksum)."""

    _inherit = "ctrl.backup.log"

    kind = fields.Selection(selection_add=[("offsite", "Off-site copy")], ondelete={"offsite": "set default"})
    remote_id = fields.Many2one("ctrl.backup.remote", string="Off-site target", readonly=True, index=True)
    local_log_id = fields.Many2one("ctrl.backup.log", string="Local backup", readonly=True, index=True)
    offsite_log_ids = fields.One2many("ctrl.backup.log", "local_log_id", string="Off-site copies")
    remote_hash = fields.Char(
        string="Checksum on the target", readonly=True,
        help="Size and checksums of the dump's encrypted copy as the off-site target reports them.")
    filestore_remote_hash = fields.Char(
        string="Filestore checksum on the target", readonly=True,
        help="Size and checksums of the filestore archive's encrypted copy as the off-site target reports them.")

    @api.model
    def _check_hand_made(self, vals_list):
        for vals in vals_list:
            forced = sorted(name for name in OFFSITE_FIELDS if vals.get(name))
            if forced:
                raise AccessError(_("A backup log made by hand cannot set %(fields)s: only the off-site copy "
                                    "sets them. Leave them empty.", fields=", ".join(forced)))
        return super()._check_hand_made(vals_list)

    def write(self, vals):
        if not self.env.su and OFFSITE_FIELDS & set(vals):
            raise AccessError(_("%(fields)s of a backup log are recorded by the off-site copy, not by hand.",
                                fields=", ".join(sorted(OFFSITE_FIELDS & set(vals)))))
        return super().write(vals)

    def action_offsite_restore(self):
        """Open the restore drill from this off-site copy (backup managers only)."""
        self.ensure_one()
        if not self.env.user.has_group("ctrl_backup.group_backup_manager"):
            raise AccessError(_("Only a backup manager restores from an off-site copy."))
        return {
            "type": "ir.actions.act_window", "res_model": "ctrl.backup.offsite.restore", "view_mode": "form",
            "target": "new", "name": _("Restore from the Off-site Copy"), "context": {"default_log_id": self.id},
        }
