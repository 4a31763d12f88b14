# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import fields, models


class CtrlBackupRemoteSecret(models.Model):
    """The credentials of an off-site target. No user reads or writes this model (its access lines grant
    nothing): the target's write-only fields store them as the server and the backup run reads them."""

    _name = "ctrl.backup.remote.secret"
    _description = "Off-site backup target credentials"
    _rec_name = "remote_id"

    remote_id = fields.Many2one("ctrl.backup.remote", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="remote_id.company_id", store=True)
    value = fields.Text(prefetch=False)

    _sql_constraints = [("remote_unique", "UNIQUE(remote_id)", "An off-site target has one set of credentials.")]

    def _values(self):
        self.ensure_one()
        return json.loads(self.value) if self.value else {}
