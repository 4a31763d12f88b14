# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Internal Control: Customer Credit",
    "summary": "5C credit rating, limits and terms, tiered approvals and hard holds on orders and deliveries",
    "version": "18.0.1.2.0",
    "category": "Productivity/Internal Control",
    "website": "https://github.com/ctrl-addons/ctrl",
    "author": "ctrl contributors",
    "license": "LGPL-3",
    "depends": ["ctrl_base", "sale_management", "sale_stock", "account"],
    "data": [
        "security/ctrl_credit_security.xml",
        "security/ir.model.access.csv",
        "data/ctrl_credit_data.xml",
        "data/ir_cron_data.xml",
        "data/ctrl_credit_monitoring_data.xml",
        "wizards/ctrl_credit_hold_release_views.xml",
        "wizards/ctrl_credit_approval_preset_views.xml",
        "views/ctrl_credit_hold_views.xml",
        "views/ctrl_credit_evaluation_views.xml",
        "views/ctrl_credit_limit_change_views.xml",
        "views/ctrl_credit_monitoring_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/ctrl_credit_menus.xml",
    ],
    "demo": ["demo/ctrl_credit_demo.xml"],
    "assets": {
        "web.assets_tests": ["ctrl_credit/static/tests/tours/*.js"],
    },
    "installable": True,
}
