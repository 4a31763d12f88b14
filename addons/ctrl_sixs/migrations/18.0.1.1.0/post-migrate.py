# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A rejected approval now returns the document to draft: the 'rejected' state of
awards, payroll summaries and innovation bonuses is gone."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE ctrl_sixs_award SET state = 'draft' WHERE state = 'rejected'")
    cr.execute("UPDATE ctrl_sixs_payroll SET state = 'draft' WHERE state = 'rejected'")
    cr.execute("UPDATE ctrl_sixs_point SET state = 'draft' WHERE state = 'rejected'")
