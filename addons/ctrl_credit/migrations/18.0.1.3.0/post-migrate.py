# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One language per screen: the 5C criteria were named in English with the
Chinese in brackets. English only now, the Chinese in zh_CN."""
from odoo.addons.ctrl_base.tools.migration import rename_english

RENAMES = {
    "criterion_character": ("Character (品质)", "Character"),
    "criterion_capacity": ("Capacity (能力)", "Capacity"),
    "criterion_capital": ("Capital (资本)", "Capital"),
    "criterion_collateral": ("Collateral (担保)", "Collateral"),
    "criterion_conditions": ("Conditions (条件)", "Conditions"),
}


def migrate(cr, version):
    if version:
        rename_english(cr, "ctrl_credit", "ctrl_credit_criterion", "name", RENAMES)
