# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Plain words on screen: the default visit tiers and the two-level order
rules were named after their policy codes (001/N26-N29, 000/S15). Rename
them, unless a user renamed them already (the data is noupdate)."""

RENAMES = {
    "visit_tier_n26": ("001/N26 (AR01): limit from 30,000 and term over 1 month, manager monthly",
                       "Limit from 30,000 and term over 1 month: sales manager monthly"),
    "visit_tier_n27": ("001/N27 (AR01): limit from 50,000, department head twice a month",
                       "Limit from 50,000: department head twice a month"),
    "visit_tier_n28": ("001/N28 (AR01): limit from 100,000, salesperson 4 times a month",
                       "Limit from 100,000: salesperson 4 times a month"),
    "visit_tier_n29_manager": ("001/N29 (AR03): limit from 500,000 and term over 3 months, manager yearly",
                               "Limit from 500,000 and term over 3 months: sales manager yearly"),
    "visit_tier_n29_vp": ("001/N29 (AR03): limit from 1,000,000, sales VP yearly",
                          "Limit from 1,000,000: sales VP yearly"),
}
RULE_RENAMES = {
    "approval_order_value_s15_finance": ("Orders below the S15 threshold: finance VP",
                                         "Orders below the two-level threshold: finance VP"),
    "approval_order_value_s15_gm": ("Orders from the S15 threshold: general manager",
                                    "Orders from the two-level threshold: general manager"),
}


def _rename(cr, table, renames, translated):
    for xmlid, (old, new) in renames.items():
        cr.execute("SELECT res_id FROM ir_model_data WHERE module = 'ctrl_credit' AND name = %s", (xmlid,))
        row = cr.fetchone()
        if not row:
            continue
        if translated:
            cr.execute(f"UPDATE {table} SET name = name || jsonb_build_object('en_US', %s::text) "
                       "WHERE id = %s AND name->>'en_US' = %s", (new, row[0], old))
        else:
            cr.execute(f"UPDATE {table} SET name = %s WHERE id = %s AND name = %s",
                       (new, row[0], old))


def migrate(cr, version):
    if not version:
        return
    cr.execute("""SELECT table_name, column_name, data_type FROM information_schema.columns
                   WHERE table_name IN ('ctrl_credit_visit_tier', 'ctrl_approval_rule') AND column_name = 'name'""")
    types = {table: data_type for table, _column, data_type in cr.fetchall()}
    if "ctrl_credit_visit_tier" in types:
        _rename(cr, "ctrl_credit_visit_tier", RENAMES, types["ctrl_credit_visit_tier"] == "jsonb")
    if "ctrl_approval_rule" in types:
        _rename(cr, "ctrl_approval_rule", RULE_RENAMES, types["ctrl_approval_rule"] == "jsonb")
