# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Logs of plans of type "This Odoo database" were made by the backup run only (a hand-made log is refused
on such plans): they are marked as the run's own, so that pruning may delete their files once it has checked
folder, name and checksum. Login logs take their user's company, for the multi-company rule."""


def migrate(cr, version):
    cr.execute("""
        UPDATE ctrl_backup_log log SET by_runner = true
          FROM ctrl_backup_plan plan
         WHERE plan.id = log.plan_id AND plan.plan_type = 'odoo_db' AND log.by_runner IS NOT TRUE
    """)
    cr.execute("""
        UPDATE ctrl_backup_login_log log SET company_id = users.company_id
          FROM res_users users
         WHERE users.id = log.user_id AND log.company_id IS NULL
    """)
