# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    def _ctrl_recv_open_invoices(self):
        """Open customer invoices and credit notes whose salesperson is one of these users (all companies)."""
        return self.env["account.move"].sudo().search([
            ("invoice_user_id", "in", self.ids), ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"), ("payment_state", "not in", ("paid", "in_payment", "reversed")),
        ])

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._ctrl_recv_check_archive()
        return super().write(vals)

    def _ctrl_recv_check_archive(self):
        """001/R38: a user who still holds open receivables is archived with a
        warning on their contact, or not at all (company setting per invoice
        company, default warn)."""
        for user in self.filtered("active"):
            moves = user._ctrl_recv_open_invoices()
            if not moves:
                continue
            blocking = moves.company_id.filtered(lambda c: c.ctrl_recv_handover_archive_mode == "block")
            message = _(
                "%(user)s still holds %(count)s open invoices (%(names)s). Hand them over to a successor first "
                "(Accounting > Customers > Receivables Control > Salesperson Handovers).",
                user=user.name, count=len(moves), names=", ".join(moves[:5].mapped("name")) + (
                    ", …" if len(moves) > 5 else ""))
            if blocking:
                raise UserError(_("Archiving %(user)s is blocked by %(companies)s: %(message)s",
                                  user=user.name, companies=", ".join(blocking.mapped("name")), message=message))
            _logger.warning("Archiving user %s with open receivables: %s", user.login, message)
            user.partner_id.sudo().message_post(body=_("Archived with open receivables: %(message)s",
                                                       message=message))
