# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Helpers shared by the benchmarks in this folder."""
import psycopg2

import odoo


def vacuum(db, tables):
    """VACUUM ANALYZE ``tables`` of ``db``, as autovacuum would after a bulk
    load or reset (a database without autovacuum would otherwise scan and plan
    on unsettled or dead rows). Outside a transaction, so on its own connection."""
    _name, info = odoo.sql_db.connection_info_for(db)
    conn = psycopg2.connect(**info)
    try:
        conn.autocommit = True
        with conn.cursor() as vcr:
            for table in tables:
                vcr.execute(f"VACUUM ANALYZE {table}")  # pylint: disable=sql-injection
    finally:
        conn.close()
