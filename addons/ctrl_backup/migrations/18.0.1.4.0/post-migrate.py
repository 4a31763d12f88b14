# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Backups are kept at least one month (000/B19-03): plans with a shorter retention
are raised to 30 days, which the plan's form now requires."""
import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE ctrl_backup_plan SET retention_days = 30 WHERE retention_days < 30 RETURNING name")
    names = [row[0] for row in cr.fetchall()]
    if names:
        _logger.warning("Backup plans kept for less than one month, now 30 days: %s", ", ".join(names))
