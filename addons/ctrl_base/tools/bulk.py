# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rows that scheduled actions write by the thousand, copied from one the ORM wrote."""
from odoo.tools import SQL


def copy_rows(model, source_id, columns):
    """Insert copies of ``model``'s row ``source_id`` (which Odoo wrote, with
    every column as it computes it), one per row of ``columns``: {column name:
    [value of each copy]}, values as stored (already converted). Every other
    column but the id is the source row's. Returns the new ids in order."""
    names = list(columns)
    count = len(columns[names[0]]) if names else 0
    if not count:
        return []
    model.flush_model()
    copied = [name for name, field in model._fields.items()
              if field.store and field.column_type and name != "id" and name not in columns]
    model.env.cr.execute(SQL(
        """INSERT INTO %(table)s (%(given)s, %(copied)s)
           SELECT %(values)s, %(source_values)s
             FROM %(table)s source,
                  unnest(%(arrays)s) WITH ORDINALITY AS copy(%(aliases)s, ordinality)
            WHERE source.id = %(source)s
            ORDER BY copy.ordinality
           RETURNING id""",
        table=SQL.identifier(model._table),
        given=SQL(", ").join(SQL.identifier(name) for name in names),
        copied=SQL(", ").join(SQL.identifier(name) for name in copied),
        values=SQL(", ").join(SQL.identifier("copy", f"c{index}") for index in range(len(names))),
        source_values=SQL(", ").join(SQL.identifier("source", name) for name in copied),
        arrays=SQL(", ").join(SQL("%s::%s[]", columns[name], SQL(model._fields[name].column_type[1]))
                              for name in names),
        aliases=SQL(", ").join(SQL.identifier(f"c{index}") for index in range(len(names))),
        source=source_id,
    ))
    return [row[0] for row in model.env.cr.fetchall()]
