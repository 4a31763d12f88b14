# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def migrate(cr, version):
    """A rejection now returns a specific provision to draft (one behaviour
    for every guarded document): the former 'rejected' ones become drafts."""
    if not version:
        return
    cr.execute("UPDATE ctrl_provision_specific SET state = 'draft' WHERE state = 'rejected'")
