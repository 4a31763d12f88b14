# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import binascii

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER = "ctrl_backup.group_backup_manager"


class CtrlBackupOffsiteRestore(models.TransientModel):
    """Restore drill from an off-site copy: a backup manager gives the private key for this one run.

    The key is never stored: it is taken out of the values when the wizard is saved (the save and the drill
    are one request), handed to age on its standard input, and dropped. Only the drill's log is kept."""

    _name = "ctrl.backup.offsite.restore"
    _description = "Restore from an off-site copy"

    log_id = fields.Many2one(
        "ctrl.backup.log", string="Off-site copy", required=True,
        domain="[('kind', '=', 'offsite'), ('result', '=', 'done'), ('pruned', '=', False)]")
    private_key = fields.Binary(
        string="Private key", store=False,
        help="The age private key file (AGE-SECRET-KEY-...) matching the target's public key. Used for this "
        "restore only, in memory; never stored.")
    result_log_id = fields.Many2one("ctrl.backup.log", string="Restore log", readonly=True)
    result = fields.Selection(related="result_log_id.result")
    result_note = fields.Text(related="result_log_id.note")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(_("Only a backup manager restores from an off-site copy."))
        keys = [vals.pop("private_key", None) for vals in vals_list]
        wizards = super().create(vals_list)
        for wizard, key in zip(wizards, keys, strict=True):
            if key:
                wizard._drill(key)
        return wizards

    def write(self, vals):
        key = vals.pop("private_key", None)
        result = super().write(vals)
        if key:
            for wizard in self:
                wizard._drill(key)
        return result

    def _drill(self, key):
        """Run the drill with ``key`` (base64, as the form sends a file) and keep only its log."""
        self.ensure_one()
        log = self.log_id
        if log.kind != "offsite" or log.result != "done" or not log.by_runner or log.pruned or not log.remote_id:
            raise UserError(_("%s is not a finished off-site copy that is still kept. Choose another one.",
                              log.name))
        try:
            private_key = base64.b64decode(key, validate=True)
        except (binascii.Error, ValueError) as err:
            raise UserError(_("The private key file could not be read. Upload the age key file again.")) from err
        try:
            self.result_log_id = self.env["ctrl.backup.offsite"]._restore_drill(log, private_key)
        finally:
            del private_key

    def action_restore(self):
        """The drill ran when the form was saved with the key: show its log."""
        self.ensure_one()
        if not self.result_log_id:
            raise UserError(_("Upload the private key of the off-site copy, then press Restore."))
        return {"type": "ir.actions.act_window", "res_model": "ctrl.backup.log", "view_mode": "form",
                "res_id": self.result_log_id.id, "target": "current"}
