# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Internal Control Base: test model",
    "summary": "A throw-away model that exercises the ctrl_base mixins in tests",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "ctrl contributors",
    "website": "https://github.com/ctrl-addons/ctrl",
    "license": "LGPL-3",
    "depends": ["ctrl_base"],
    "data": ["security/ir.model.access.csv", "data/ir_sequence_data.xml"],
    "installable": True,
}
