# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class CtrlGoLivePreview(models.TransientModel):
    """The overdue-invoice states and the suspensions of a go-live preview
    (003/D13: unpaid on the 5th of the month after the due date, under
    collection a month later, sales suspended after the suspension days)."""

    _inherit = "ctrl.go.live.preview"

    ctrl_recv_d13_unpaid_count = fields.Integer(
        "Invoices marked unpaid", readonly=True,
        help="Open invoices the next run would mark unpaid (from the 5th of the month after their due date).")
    ctrl_recv_d13_collection_count = fields.Integer(
        "Invoices put under collection", readonly=True,
        help="Open invoices the next run would put under collection; each gives the sales manager an activity.")
    ctrl_recv_suspension_count = fields.Integer(
        "Customers suspended", readonly=True,
        help="Customers whose sales the next run would suspend: an invoice under collection for the "
        "suspension days.")
    ctrl_recv_collection_partner_count = fields.Integer(
        "Customers under collection", readonly=True,
        help="Customers with an invoice under collection after the next run: their sales are suspended once it "
        "has been under collection for the suspension days, unless it is paid.")

    @api.model
    def _ctrl_preview_totals(self, company, today):
        vals = super()._ctrl_preview_totals(company, today)
        Move = self.env["account.move"].sudo()
        Move.flush_model(["ctrl_recv_d13_state", "ctrl_recv_d13_since", "payment_state", "invoice_date_due",
                          "commercial_partner_id", "company_id", "state"])
        due = Move._ctrl_recv_d13_due_sql(today, company)
        counts = dict(self.env.execute_query(SQL("SELECT due.state, count(*) FROM (%s) due GROUP BY due.state",
                                                 due)))
        partners = self.env.execute_query(SQL(
            """SELECT count(DISTINCT move.commercial_partner_id) FROM account_move move
                WHERE move.id IN (SELECT due.id FROM (%(due)s) due WHERE due.state = 'collection')
                   OR (move.company_id = %(company)s AND move.ctrl_recv_d13_state = 'collection'
                       AND move.state = 'posted' AND move.payment_state IN ('not_paid', 'partial'))""",
            due=due, company=company.id))[0][0]
        vals.update(
            ctrl_recv_d13_unpaid_count=counts.get("unpaid", 0),
            ctrl_recv_d13_collection_count=counts.get("collection", 0),
            ctrl_recv_suspension_count=len(Move._ctrl_recv_suspension_candidates(today, company)),
            ctrl_recv_collection_partner_count=partners,
        )
        return vals
