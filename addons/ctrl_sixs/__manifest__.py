# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Internal Control: 6S Audits",
    "summary": "6S areas, check-item library, scheduled audits, "
    "scoring, corrective actions, rankings, rewards and penalties",
    "version": "18.0.1.0.0",
    "category": "Productivity/Internal Control",
    "website": "https://github.com/ctrl-addons/ctrl",
    "author": "ctrl contributors",
    "license": "LGPL-3",
    "depends": ["ctrl_base", "hr"],
    "data": [
        "security/ctrl_sixs_security.xml",
    ],
    "installable": True,
}
