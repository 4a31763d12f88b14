# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Internal Control: 6S Audits",
    "summary": "6S areas, check-item library, scheduled audits, "
    "scoring, corrective actions, rankings, rewards and penalties",
    "version": "18.0.1.2.0",
    "category": "Productivity/Internal Control",
    "website": "https://github.com/ctrl-addons/ctrl",
    "author": "ctrl contributors",
    "license": "LGPL-3",
    "depends": ["ctrl_base", "hr"],
    "data": [
        "security/ctrl_sixs_security.xml",
        "security/ir.model.access.csv",
        "data/ctrl_sixs_data.xml",
        "data/ctrl_sixs_item_data.xml",
        "data/ctrl_sixs_offence_data.xml",
        "data/ctrl_sixs_grade_data.xml",
        "data/ir_cron_data.xml",
        "data/ctrl_sixs_schedule_data.xml",
        "report/ctrl_sixs_reports.xml",
        "views/ctrl_sixs_config_views.xml",
        "views/ctrl_sixs_audit_views.xml",
        "views/ctrl_sixs_score_views.xml",
        "views/ctrl_sixs_payroll_views.xml",
        "views/ctrl_sixs_discipline_views.xml",
        "views/ctrl_sixs_publication_views.xml",
        "views/res_config_settings_views.xml",
        "views/ctrl_sixs_menus.xml",
    ],
    "demo": ["demo/ctrl_sixs_demo.xml"],
    "assets": {
        "web.assets_backend": ["ctrl_sixs/static/src/**/*"],
        "web.assets_tests": ["ctrl_sixs/static/tests/tours/*.js"],
    },
    "installable": True,
    "application": True,
}
