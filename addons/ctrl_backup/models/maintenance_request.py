# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MaintenanceRequest(models.Model):
    _inherit = "maintenance.request"

    def write(self, vals):
        result = super().write(vals)
        if "stage_id" in vals:
            # A finished media inspection also inspects the medium's cabinet (seed 000 B01-16).
            inspected = self.filtered(lambda r: r.stage_id.done and r.maintenance_type == "preventive"
                                      and r.equipment_id.ctrl_is_media)
            locations = inspected.equipment_id.ctrl_location_id
            if locations:
                locations.sudo()._ctrl_checklist_start("backup_location")
        return result
