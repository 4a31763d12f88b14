# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Internal Control Base",
    "summary": "Approval chains with segregation of duties, escalation steps "
    "and checklists shared by the ctrl addons",
    "version": "18.0.1.2.0",
    "category": "Productivity/Internal Control",
    "website": "https://github.com/ctrl-addons/ctrl",
    "author": "ctrl contributors",
    "license": "LGPL-3",
    "depends": ["mail"],
    "data": [
        "security/ctrl_base_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "data/ctrl_escalation_data.xml",
        "data/ctrl_checklist_data.xml",
        "wizards/ctrl_approval_decision_views.xml",
        "wizards/ctrl_checklist_override_views.xml",
        "wizards/ctrl_escalation_reset_views.xml",
        "views/ctrl_approval_rule_views.xml",
        "views/ctrl_approval_request_views.xml",
        "views/ctrl_escalation_ladder_views.xml",
        "views/ctrl_escalation_step_views.xml",
        "views/ctrl_checklist_template_views.xml",
        "views/ctrl_checklist_views.xml",
        "views/res_config_settings_views.xml",
        "views/ctrl_base_menus.xml",
    ],
    "demo": ["demo/ctrl_base_demo.xml"],
    "assets": {
        "web.assets_tests": ["ctrl_base/static/tests/tours/*.js"],
    },
    "installable": True,
    "application": True,
}
