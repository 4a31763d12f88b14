# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Internal Control: Receivables",
    "summary": "Aging, bad-debt provisioning, collection escalation, "
    "confirmations, write-off and handover of receivables",
    "version": "18.0.1.0.0",
    "category": "Productivity/Internal Control",
    "website": "https://github.com/ctrl-addons/ctrl",
    "author": "ctrl contributors",
    "license": "LGPL-3",
    "depends": ["ctrl_credit", "hr"],
    "data": [
        "security/ctrl_receivable_security.xml",
        "security/ir.model.access.csv",
        "data/ctrl_provision_data.xml",
        "data/ctrl_aging_data.xml",
        "reports/ctrl_balance_confirmation_report.xml",
        "reports/ctrl_receivable_handover_report.xml",
        "data/ctrl_confirmation_data.xml",
        "data/ctrl_handover_data.xml",
        "views/ctrl_aging_scheme_views.xml",
        "views/ctrl_aging_report_views.xml",
        "views/ctrl_provision_views.xml",
        "views/ctrl_provision_partner_views.xml",
        "views/ctrl_balance_confirmation_views.xml",
        "views/ctrl_receivable_handover_views.xml",
        "views/res_partner_views.xml",
        "views/ctrl_receivable_settings_views.xml",
        "views/ctrl_receivable_menus.xml",
    ],
    "installable": True,
}
