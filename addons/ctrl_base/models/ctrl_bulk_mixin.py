# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

LOG_ACCESS = ("create_uid", "create_date", "write_uid", "write_date")


class CtrlBulkMixin(models.AbstractModel):
    """Bulk writing for the models whose rows scheduled actions write by the
    ten thousand (collection events, deductions, activities): only they
    inherit it, so no method is added to every model of the database."""

    _name = "ctrl.bulk.mixin"
    _description = "Internal Control: bulk rows"

    @api.model
    def _ctrl_insert_rows(self, vals_list):
        """Insert ``vals_list`` in one statement and return the new records.

        For rows that scheduled actions write by the ten thousand (logs,
        ledgers, activities), where the ORM's per-row create work buys
        nothing. Missing fields take the model's defaults (read once for the
        batch); stored computed fields must be given, because nothing is
        computed. HTML given as Markup is trusted (built with escaped
        values); other HTML is sanitized, once per distinct value. No access
        check, no Python constraints, no tracking: the caller has validated
        the values. SQL constraints still hold."""
        if not vals_list:
            return self.browse()
        stored = {name: field for name, field in self._fields.items()
                  if field.store and field.column_type and name != "id" and name not in LOG_ACCESS}
        given = set().union(*vals_list)
        unknown = given - set(stored)
        missing_computed = [name for name, field in stored.items() if field.compute and name not in given]
        if unknown or missing_computed:
            raise ValueError(f"{self._name}._ctrl_insert_rows: not stored columns {sorted(unknown)}, "
                             f"stored computed fields not given {sorted(missing_computed)}")
        defaults = self.default_get([name for name in stored if name not in given])
        names = sorted(given | {name for name, value in defaults.items() if value is not None})
        converted = {}

        def column_value(field, value):
            # Sanitizing HTML is the costly part: Markup is trusted (built
            # with escaped values), other text is sanitized once per value.
            if isinstance(value, Markup):
                return str(value)
            key = (field.name, value)
            if key not in converted:
                converted[key] = field.convert_to_column(value, self)
            return converted[key]

        arrays, types = [], []
        for name in names:
            field = stored[name]
            values = [vals[name] if name in vals else defaults.get(name) for vals in vals_list]
            if field.type == "html":
                column = [column_value(field, value) for value in values]
            else:
                column = [field.convert_to_column(value, self, validate=False) for value in values]
            arrays.append(column)
            types.append(field.column_type[1])
        now = fields.Datetime.now()
        access = (
            SQL(", %s, %s, %s, %s", self.env.uid, now, self.env.uid, now) if self._log_access else SQL()
        )
        access_names = SQL(", ").join(SQL.identifier(name) for name in LOG_ACCESS)
        self.env.cr.execute(SQL(
            """INSERT INTO %(table)s (%(names)s%(access_names)s)
               SELECT %(columns)s%(access)s
                 FROM unnest(%(arrays)s) WITH ORDINALITY AS row(%(aliases)s, ordinality)
                ORDER BY row.ordinality
               RETURNING id""",
            table=SQL.identifier(self._table),
            names=SQL(", ").join(SQL.identifier(name) for name in names),
            access_names=SQL(", %s", access_names) if self._log_access else SQL(),
            columns=SQL(", ").join(SQL.identifier("row", f"c{index}") for index in range(len(names))),
            access=access,
            arrays=SQL(", ").join(SQL("%s::%s[]", column, SQL(sql_type)) for column, sql_type in zip(arrays, types)),
            aliases=SQL(", ").join(SQL.identifier(f"c{index}") for index in range(len(names))),
        ))
        records = self.browse([row[0] for row in self.env.cr.fetchall()])
        self._ctrl_invalidate_inverses(names)
        return records

    def _ctrl_invalidate_inverses(self, names):
        """Forget the one2many fields that list rows of this model by ``names``."""
        for name in names:
            for inverse in self.pool.field_inverses[self._fields[name]]:
                self.env[inverse.model_name].invalidate_model([inverse.name])
