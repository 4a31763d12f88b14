# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.ctrl_base.tools.migration import name_data_children


def migrate(cr, version):
    """Approval steps are records of their own in the data files now: name the existing ones."""
    name_data_children(cr, "ctrl_backup")
