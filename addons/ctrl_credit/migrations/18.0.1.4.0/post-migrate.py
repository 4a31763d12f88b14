# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""001/N27, N28 (AR01): the department head's and the salesperson's visit tiers apply to
customers with a credit term over one month, like the sales manager's. The data is
noupdate: the tiers a user did not change get the term and their new names."""
from odoo.tools import SQL

TIERS = {
    "visit_tier_n27": ("Limit from 50,000: department head twice a month",
                       "Limit from 50,000 and term over 1 month: department head twice a month",
                       "额度 50,000 以上且账期超过 1 个月：部门负责人每月走访 2 次"),
    "visit_tier_n28": ("Limit from 100,000: salesperson 4 times a month",
                       "Limit from 100,000 and term over 1 month: salesperson 4 times a month",
                       "额度 100,000 以上且账期超过 1 个月：业务员每月走访 4 次"),
}


def migrate(cr, version):
    if not version:
        return
    for xmlid, (old, new, new_zh) in TIERS.items():
        cr.execute(SQL(
            """UPDATE ctrl_credit_visit_tier tier
                  SET term_min_days = 31,
                      name = tier.name || jsonb_build_object('en_US', %(new)s::text)
                           || CASE WHEN tier.name ? 'zh_CN' THEN jsonb_build_object('zh_CN', %(new_zh)s::text)
                                   ELSE '{}'::jsonb END
                 FROM ir_model_data imd
                WHERE imd.module = 'ctrl_credit' AND imd.name = %(xmlid)s AND imd.res_id = tier.id
                  AND tier.term_min_days = 0 AND tier.name->>'en_US' = %(old)s""",
            xmlid=xmlid, old=old, new=new, new_zh=new_zh))
