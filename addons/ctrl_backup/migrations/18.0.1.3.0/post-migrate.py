# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One language per screen: the storage protections and the transfer reminder
carried the Chinese in brackets. English only now, the Chinese in zh_CN."""
from odoo.addons.ctrl_base.tools.migration import rename_english

PROTECTIONS = {
    "checklist_item_location_fire": ("Fire protection (防火)", "Fire protection"),
    "checklist_item_location_water": ("Water protection (防水)", "Water protection"),
    "checklist_item_location_damp": ("Damp protection (防潮)", "Damp protection"),
    "checklist_item_location_magnetism": ("Magnetism protection (防磁)", "Magnetism protection"),
    "checklist_item_location_theft": ("Theft protection (防盗)", "Theft protection"),
    "checklist_item_location_rodents": ("Rodent protection (防鼠)", "Rodent protection"),
}
SUMMARIES = {
    "escalation_level_media_transfer": ("Transfer (转储) the backup to a new medium before it expires",
                                        "Transfer the backup to a new medium before it expires"),
}


def migrate(cr, version):
    if version:
        rename_english(cr, "ctrl_backup", "ctrl_checklist_template_item", "name", PROTECTIONS)
        rename_english(cr, "ctrl_backup", "ctrl_escalation_level", "activity_summary", SUMMARIES)
