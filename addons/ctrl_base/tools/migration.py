# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Helpers for the addons' migration scripts."""
from odoo.tools import SQL

# The one2many rows that data files once created with Command.create and now
# declare as records of their own: (parent model, child table, inverse, xml id suffix).
DATA_CHILDREN = [
    ("ctrl.approval.rule", "ctrl_approval_rule_step", "rule_id", "step"),
    ("ctrl.escalation.ladder", "ctrl_escalation_level", "ladder_id", "level"),
]


def name_data_children(cr, module):
    """Give the rows that ``module``'s data created inside its records (rule
    steps, ladder levels) the xml ids the data files now declare, in order,
    so that the update finds them instead of creating them again."""
    for parent_model, table, inverse, suffix in DATA_CHILDREN:
        cr.execute(SQL(
            """SELECT parent.name, parent.res_id FROM ir_model_data parent
                WHERE parent.module = %s AND parent.model = %s""", module, parent_model))
        for parent_name, parent_id in cr.fetchall():
            cr.execute(SQL("SELECT id FROM %s WHERE %s = %s ORDER BY id", SQL.identifier(table),
                           SQL.identifier(inverse), parent_id))
            child_model = table.replace("_", ".")
            for index, (child_id,) in enumerate(cr.fetchall(), 1):
                cr.execute(SQL(
                    """INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
                       SELECT %(module)s, %(name)s, %(model)s, %(res_id)s, true
                        WHERE NOT EXISTS (SELECT 1 FROM ir_model_data WHERE model = %(model)s AND res_id = %(res_id)s)
                          AND NOT EXISTS (SELECT 1 FROM ir_model_data WHERE module = %(module)s AND name = %(name)s)""",
                    module=module, name=f"{parent_name}_{suffix}_{index}", model=child_model, res_id=child_id))


def rename_english(cr, module, table, field, renames):
    """Give the data records ``{xml id: (old, new)}`` of ``module`` (noupdate,
    so an update does not rewrite them) their new English ``field``, unless a
    user changed it already; the other languages keep their translation."""
    for xmlid, (old, new) in renames.items():
        cr.execute(SQL(
            """UPDATE %(table)s rec
                  SET %(field)s = rec.%(field)s || jsonb_build_object('en_US', %(new)s::text)
                 FROM ir_model_data data
                WHERE data.module = %(module)s AND data.name = %(xmlid)s AND data.res_id = rec.id
                  AND rec.%(field)s->>'en_US' = %(old)s""",
            table=SQL.identifier(table), field=SQL.identifier(field), new=new, module=module, xmlid=xmlid,
            old=old))
