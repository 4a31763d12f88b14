# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def migrate(cr, version):
    """The aging report's lines become a lean table the report owns: no
    foreign keys, one index (on the report), no create/write columns. The
    lines already stored stay; a report deletes its lines when deleted."""
    if not version:
        return
    cr.execute("SELECT to_regclass('ctrl_aging_report_line')")
    if not cr.fetchone()[0]:
        return
    cr.execute("""SELECT conname FROM pg_constraint
                   WHERE conrelid = 'ctrl_aging_report_line'::regclass AND contype = 'f'""")
    for (name,) in cr.fetchall():
        cr.execute(f'ALTER TABLE ctrl_aging_report_line DROP CONSTRAINT "{name}"')  # pylint: disable=sql-injection
        cr.execute("DELETE FROM ir_model_constraint WHERE name = %s AND type = 'f'", (name,))
    cr.execute("""SELECT indexname FROM pg_indexes
                   WHERE tablename = 'ctrl_aging_report_line'
                     AND indexname NOT IN ('ctrl_aging_report_line_pkey', 'ctrl_aging_report_line__report_id_index')""")
    for (name,) in cr.fetchall():
        cr.execute(f'DROP INDEX IF EXISTS "{name}"')  # pylint: disable=sql-injection
    cr.execute("""ALTER TABLE ctrl_aging_report_line DROP COLUMN IF EXISTS create_uid,
                  DROP COLUMN IF EXISTS create_date, DROP COLUMN IF EXISTS write_uid,
                  DROP COLUMN IF EXISTS write_date""")
    # Lines of reports deleted before (none: the foreign key cascaded), kept out for good measure.
    cr.execute("""DELETE FROM ctrl_aging_report_line line
                   WHERE NOT EXISTS (SELECT 1 FROM ctrl_aging_report report WHERE report.id = line.report_id)""")
