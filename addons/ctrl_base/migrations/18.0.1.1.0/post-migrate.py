# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    """Escalation steps of shared ladders were stored without a company:
    give each its record's company, so multi-company rules apply to it."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("SELECT DISTINCT res_model FROM ctrl_escalation_step WHERE company_id IS NULL")
    for (model_name,) in cr.fetchall():
        model = env.get(model_name)
        field = model._fields.get("company_id") if model is not None else None
        if not field or not field.store:
            continue
        cr.execute(SQL(
            """UPDATE ctrl_escalation_step step SET company_id = rec.company_id
                 FROM %s rec
                WHERE step.company_id IS NULL AND step.res_model = %s AND rec.id = step.res_id""",
            SQL.identifier(model._table), model_name))
