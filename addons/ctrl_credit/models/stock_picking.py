# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

# 003/R1.30: goods received back from a customer, approved by the sales supervisor.
RETURN_KIND = "customer_return"
# 003/R1.31, R1.32: what only the inspection buttons set.
INSPECTION_FIELDS = ("ctrl_inspection_result", "ctrl_inspected_by_id", "ctrl_inspected_on",
                     "ctrl_inspection_fingerprint")


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "ctrl.approval.mixin"]

    ctrl_credit_problems = fields.Text("Credit holds", compute="_compute_ctrl_credit_problems")
    ctrl_is_customer_return = fields.Boolean(
        "Goods from a customer", compute="_compute_ctrl_is_customer_return",
        help="Goods received back from a customer (a return, with or without Odoo's Return button).")
    ctrl_inspection_result = fields.Selection(
        [("accepted", "Accepted"), ("rejected", "Rejected")], "Inspection", readonly=True, copy=False,
        tracking=True, help="Recorded by an inspector of returned goods with the buttons Accept / Reject.")
    ctrl_inspected_by_id = fields.Many2one("res.users", "Inspected by", readonly=True, copy=False, tracking=True)
    ctrl_inspected_on = fields.Datetime("Inspected on", readonly=True, copy=False)
    ctrl_inspection_note = fields.Text(
        "Inspection report", copy=False, tracking=True,
        help="What the inspector found. Required to reject the goods; it cannot change once recorded.")
    ctrl_inspection_fingerprint = fields.Char("Inspected content", readonly=True, copy=False)
    ctrl_inspection_needed = fields.Boolean("Inspection needed", compute="_compute_ctrl_inspection_needed")

    @api.depends("location_id")
    def _compute_ctrl_is_customer_return(self):
        for picking in self:
            picking.ctrl_is_customer_return = picking.location_id.usage == "customer"

    @api.depends("location_id", "state", "ctrl_inspection_result", "company_id.ctrl_return_inspection")
    def _compute_ctrl_inspection_needed(self):
        for picking in self:
            picking.ctrl_inspection_needed = picking._ctrl_return_inspected() and picking.state not in (
                "done", "cancel") and not picking._ctrl_inspection_current()

    @api.depends("sale_id", "state")
    def _compute_ctrl_credit_problems(self):
        for picking in self:
            problems = []
            order = picking.sudo()._ctrl_credit_orders()
            if order and picking.state not in ("done", "cancel"):
                problems = [text for _reason, text, _mode, _hold in order._ctrl_credit_lines("deliver")]
            picking.ctrl_credit_problems = "\n".join(problems)

    def _ctrl_credit_orders(self):
        return self.filtered(lambda p: p.picking_type_code == "outgoing" and p.sale_id).sale_id

    def _action_done(self):
        # Every caller of a delivery's validation passes here (button_validate, RPC, wizards).
        # Warehouse users may not read the order: the check itself runs as superuser.
        self.sudo()._ctrl_credit_orders()._ctrl_credit_enforce("deliver")
        self._ctrl_duty_check_shipper()
        self._ctrl_return_check_done()
        return super()._action_done()

    # ------------------------------------------------------------------
    # 003/R1.30-R1.32: customer returns approved by the sales supervisor, inspected before stocking
    # ------------------------------------------------------------------
    def _ctrl_return_approved_needed(self):
        """True when this receipt from a customer waits for the sales supervisor's approval."""
        self.ensure_one()
        company = self.company_id
        return (self.ctrl_is_customer_return and company.ctrl_live and company.ctrl_return_approval
                and not self._ctrl_is_approved(RETURN_KIND))

    def _ctrl_return_inspected(self):
        """True when this receipt from a customer is inspected before it is stocked."""
        self.ensure_one()
        company = self.company_id
        return self.ctrl_is_customer_return and company.ctrl_live and company.ctrl_return_inspection

    def _ctrl_return_fingerprint(self):
        """What the approval and the inspection cover: the customer, where the goods come from and, per
        product, the quantity announced. Changing any of them needs a new approval and inspection; where
        the goods go (stock or scrap, after the inspection) is the warehouse's choice."""
        self.ensure_one()
        lines = sorted([move.product_id.id, move.product_uom.id, f"{move.product_uom_qty:.6f}"]
                       for move in self.move_ids.filtered(lambda m: m.state != "cancel"))
        content = {"partner": self.partner_id.commercial_partner_id.id, "company": self.company_id.id,
                   "from": self.location_id.id, "lines": lines}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def _ctrl_approval_fingerprint(self, kind):
        if kind == RETURN_KIND:
            return self._ctrl_return_fingerprint()
        return super()._ctrl_approval_fingerprint(kind)

    def _ctrl_approval_amount(self, kind):
        return 0.0

    def _ctrl_inspection_current(self):
        """The recorded inspection still covers the goods as they are announced."""
        self.ensure_one()
        return bool(self.ctrl_inspection_result) and \
            self.ctrl_inspection_fingerprint == self._ctrl_return_fingerprint()

    def button_validate(self):
        waiting = self.filtered(lambda p: p._ctrl_return_approved_needed())
        for picking in waiting:
            pending = picking._ctrl_approval_requests(RETURN_KIND, ["pending"])
            if pending and pending._mismatch():
                # Changed since it was submitted: that request can no longer be approved, ask again.
                pending.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
                pending._finish("cancel", _("Withdrawn: the return changed after it was submitted."))
            reason = _("Return of %(products)s from %(customer)s", customer=picking.partner_id.display_name,
                       products=", ".join(f"{move.product_uom_qty:g} {move.product_uom.name} "
                                          f"{move.product_id.display_name}" for move in picking.move_ids))
            if not picking._ctrl_request_approval(kind=RETURN_KIND, reason=reason):
                raise UserError(_("Customer returns need approval, but no approval rule of kind "
                                  "'customer_return' applies: configure one in Internal Control > Configuration > "
                                  "Approval Rules."))
        result = super(StockPicking, self - waiting).button_validate() if self - waiting else False
        if waiting:
            return {
                "type": "ir.actions.client", "tag": "display_notification",
                "params": {"type": "warning", "sticky": True, "title": _("Approval requested"),
                           "message": _("%(pickings)s: the returned goods are received once the sales supervisor "
                                        "approves the return.",
                                        pickings=", ".join(waiting.mapped("name"))),
                           "next": {"type": "ir.actions.act_window_close"}},
            }
        return result

    def _ctrl_return_check_done(self):
        for picking in self.filtered("ctrl_is_customer_return"):
            if picking._ctrl_return_approved_needed():
                raise UserError(_(
                    "Return %(picking)s needs the sales supervisor's approval before the goods are received. "
                    "Use Validate, which sends the approval request.", picking=picking.name))
            company = picking.company_id
            if company.ctrl_live and company.ctrl_return_approval:
                # The approval covers the quantities announced: receiving more is a new return.
                for move in picking.move_ids.filtered(lambda m: m.state != "cancel"):
                    if float_compare(move.quantity, move.product_uom_qty,
                                     precision_rounding=move.product_uom.rounding) > 0:
                        raise UserError(_(
                            "Return %(picking)s: %(qty)s %(product)s received, but %(approved)s were approved. "
                            "Lower the quantity, or raise the demand and ask for approval again.",
                            picking=picking.name, qty=move.quantity, product=move.product_id.display_name,
                            approved=move.product_uom_qty))
            if not picking._ctrl_return_inspected():
                continue
            if not picking._ctrl_inspection_current():
                raise UserError(_(
                    "Return %(picking)s: the returned goods must be inspected before they are stocked. An inspector "
                    "of returned goods records the inspection with Accept or Reject (Inspection report).",
                    picking=picking.name) if not picking.ctrl_inspection_result else _(
                    "Return %(picking)s changed after its inspection: the goods must be inspected again.",
                    picking=picking.name))
            # Where the goods go: the detailed operations' locations, which may differ from the receipt's.
            stocked = (picking.move_ids.move_line_ids.location_dest_id | picking.move_ids.filtered(
                lambda m: not m.move_line_ids and m.state != "cancel").location_dest_id).filtered(
                lambda loc: loc.usage == "internal" and not loc.scrap_location)
            if picking.ctrl_inspection_result == "rejected" and stocked:
                raise UserError(_(
                    "Return %(picking)s: the inspection rejected the goods, so they are not stocked in %(location)s. "
                    "Set a scrap location as Destination Location (and in the detailed operations), or cancel the "
                    "return.", picking=picking.name, location=", ".join(stocked.mapped("display_name"))))
            if self.env.user == picking.ctrl_inspected_by_id and not self.env.user._is_superuser():
                raise UserError(_(
                    "You inspected return %(picking)s, so you cannot also receive it into stock: inspecting and "
                    "counting returned goods are two people's duties. Ask another warehouse user to validate it.",
                    picking=picking.name))

    def _ctrl_record_inspection(self, result):
        if not self.env.user.has_group("ctrl_credit.group_return_inspector"):
            raise AccessError(_("Only a Returned Goods Inspector records the inspection of returned goods."))
        for picking in self:
            if not picking._ctrl_return_inspected():
                raise UserError(_("%(picking)s is not a customer return inspected before stocking (see Settings > "
                                  "Sales controls > Inspect returned goods before stocking).", picking=picking.name))
            if picking.state in ("done", "cancel"):
                raise UserError(_("%(picking)s is done or cancelled: its inspection cannot change.",
                                  picking=picking.name))
            if picking._ctrl_inspection_current():
                raise UserError(_("The inspection of %(picking)s is already recorded.", picking=picking.name))
            if result == "rejected" and not (picking.ctrl_inspection_note or "").strip():
                raise UserError(_("Write the Inspection report (what is wrong with the goods) before rejecting "
                                  "them."))
            picking.sudo().write({
                "ctrl_inspection_result": result, "ctrl_inspected_by_id": self.env.uid,
                "ctrl_inspected_on": fields.Datetime.now(),
                "ctrl_inspection_fingerprint": picking._ctrl_return_fingerprint(),
            })
        return True

    def action_ctrl_inspection_accept(self):
        return self._ctrl_record_inspection("accepted")

    def action_ctrl_inspection_reject(self):
        return self._ctrl_record_inspection("rejected")

    def write(self, vals):
        if not self.env.su:
            if set(INSPECTION_FIELDS) & set(vals):
                raise AccessError(_("The inspection of returned goods is recorded with the buttons Accept and "
                                    "Reject, which check who may do it."))
            if "ctrl_inspection_note" in vals and any(p._ctrl_inspection_current() for p in self):
                raise UserError(_("The Inspection report cannot change once the inspection is recorded."))
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(set(INSPECTION_FIELDS) & set(vals) for vals in vals_list):
            raise AccessError(_("The inspection of returned goods is recorded with the buttons Accept and "
                                "Reject, which check who may do it."))
        return super().create(vals_list)

    # 003/D7 第四条 (2): who approved an order's contract does not ship it.
    def _ctrl_duty_check_shipper(self):
        user = self.env.user
        if user._is_superuser():
            return
        for picking in self.sudo().filtered(lambda p: p.picking_type_code == "outgoing" and p.sale_id):
            company = picking.company_id
            if not (company.ctrl_live and company.ctrl_duty_approver_not_shipper):
                continue
            if user in picking.sale_id._ctrl_contract_approvers():
                raise UserError(_(
                    "You approved order %(order)s, so you cannot validate its delivery %(picking)s: approving a "
                    "contract and shipping it are incompatible duties. Ask another warehouse user to validate it.",
                    order=picking.sale_id.name, picking=picking.name))
