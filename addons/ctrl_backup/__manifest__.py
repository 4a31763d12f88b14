# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Internal Control: Data Backup",
    "summary": "Backup plans and immutable logs, verified database backups, "
    "media register, loans, destruction, restores and departure handover",
    "version": "18.0.1.4.0",
    "category": "Productivity/Internal Control",
    "website": "https://github.com/ctrl-addons/ctrl",
    "author": "ctrl contributors",
    "license": "LGPL-3",
    "depends": ["ctrl_base", "maintenance", "hr_maintenance", "auth_password_policy", "web"],
    "data": [
        "security/ctrl_backup_security.xml",
        "security/ir.model.access.csv",
        "security/ctrl_backup_rules.xml",
        "data/ctrl_backup_data.xml",
        "data/ctrl_backup_approval_data.xml",
        "data/ctrl_backup_media_data.xml",
        "data/ctrl_backup_restore_data.xml",
        "data/ctrl_backup_upload_data.xml",
        "data/ctrl_backup_cron.xml",
        "views/ctrl_backup_views.xml",
        "views/ctrl_backup_media_views.xml",
        "views/ctrl_backup_restore_views.xml",
        "views/ctrl_backup_security_views.xml",
        "views/ctrl_backup_upload_views.xml",
        "views/ctrl_backup_password_templates.xml",
        "wizards/ctrl_backup_offsite_restore_views.xml",
        "report/ctrl_backup_reports.xml",
        "views/ctrl_backup_menus.xml",
        "views/ctrl_backup_offsite_views.xml",
    ],
    "demo": ["demo/ctrl_backup_demo.xml"],
    "assets": {
        "web.assets_tests": ["ctrl_backup/static/tests/tours/*.js"],
    },
    "installable": True,
}
