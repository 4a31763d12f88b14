# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The limitation date of a case runs from its oldest invoice's due date. An older invoice that the collection
ladder added to an open case did not move that date earlier (the invoices were linked in SQL, which the ORM did
not see): the date of every case is computed again."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Case = env["ctrl.collection.case"].with_context(active_test=False)
    cases = Case.search([])
    env.add_to_compute(Case._fields["limitation_date"], cases)
    env.flush_all()
