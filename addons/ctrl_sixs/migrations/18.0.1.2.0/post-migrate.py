# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One language per screen: a check item carried the Chinese in brackets.
English only now, the Chinese in zh_CN."""
from odoo.addons.ctrl_base.tools.migration import rename_english

RENAMES = {
    "item_eqp_08": ('Idle equipment tagged "out of use" (暂停使用)', 'Idle equipment tagged "out of use"'),
}


def migrate(cr, version):
    if version:
        rename_english(cr, "ctrl_sixs", "ctrl_sixs_item", "name", RENAMES)
