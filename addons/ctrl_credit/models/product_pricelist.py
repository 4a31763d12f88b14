# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# 003/R1.1-R1.3: a price list, and each price adjustment, reviewed by the sales supervisor and approved by
# the company leader before use; finance keeps every approved version.
PRICELIST_KIND = "pricelist"
# What a price list's rules are made of (the rest: bookkeeping).
ITEM_SKIP = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name", "pricelist_id",
             "name", "price", "rule_tip"}


class ProductPricelist(models.Model):
    _name = "product.pricelist"
    _inherit = ["product.pricelist", "ctrl.approval.mixin"]

    ctrl_pricelist_approved = fields.Boolean(
        "Approved prices", compute="_compute_ctrl_pricelist_approved",
        search="_search_ctrl_pricelist_approved",
        help="The price list, as it is now, was approved by the sales supervisor and the company leader.")
    ctrl_pricelist_selectable = fields.Boolean(
        "Usable on orders", compute="_compute_ctrl_pricelist_approved",
        search="_search_ctrl_pricelist_selectable",
        help="Approved, or its company does not ask price lists to be approved.")

    @api.model
    def _ctrl_item_fields(self):
        items = self.env["product.pricelist.item"]
        return sorted(name for name, field in items._fields.items()
                      if field.store and name not in ITEM_SKIP and field.type not in ("one2many", "many2many"))

    @api.depends(lambda self: ["item_ids", "currency_id", "company_id", "active", "ctrl_approval_ids.state",
                               *(f"item_ids.{name}" for name in self._ctrl_item_fields())])
    def _compute_ctrl_pricelist_approved(self):
        for pricelist in self:
            pricelist.ctrl_pricelist_approved = bool(pricelist.id) and pricelist._ctrl_is_approved(PRICELIST_KIND)
            pricelist.ctrl_pricelist_selectable = pricelist._ctrl_pricelist_usable()

    def _ctrl_pricelist_checked(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        return company.ctrl_live and company.ctrl_pricelist_approval

    def _ctrl_pricelist_usable(self):
        self.ensure_one()
        return not self._ctrl_pricelist_checked() or (bool(self.id) and self._ctrl_is_approved(PRICELIST_KIND))

    def _ctrl_pricelist_search(self, test, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Search price lists by approval with = or != only."))
        matching = self.sudo().with_context(active_test=False).search([]).filtered(test)
        return [("id", "in" if (operator == "=") == bool(value) else "not in", matching.ids)]

    def _search_ctrl_pricelist_approved(self, operator, value):
        return self._ctrl_pricelist_search(lambda p: p._ctrl_is_approved(PRICELIST_KIND), operator, value)

    def _search_ctrl_pricelist_selectable(self, operator, value):
        return self._ctrl_pricelist_search(lambda p: p._ctrl_pricelist_usable(), operator, value)

    def _ctrl_pricelist_version(self):
        """The price list's rules as data: what is approved, and what finance keeps."""
        self.ensure_one()
        items = self.sudo().with_context(active_test=False).item_ids
        names = self._ctrl_item_fields()
        rows = []
        for item in items.sorted(lambda i: (i.applied_on or "", i.id)):
            row = {}
            for name in names:
                value = item[name]
                field = items._fields[name]
                row[name] = value.id if field.type == "many2one" else value
            rows.append(row)
        return {"pricelist": self.id, "currency": self.currency_id.id, "company": self.company_id.id,
                "active": self.active, "items": rows}

    def _ctrl_approval_fingerprint(self, kind):
        if kind != PRICELIST_KIND:
            return super()._ctrl_approval_fingerprint(kind)
        content = json.dumps(self._ctrl_pricelist_version(), sort_keys=True, default=str)
        return hashlib.sha256(content.encode()).hexdigest()

    def _ctrl_approval_amount(self, kind):
        return 0.0

    def action_ctrl_pricelist_submit(self):
        """Send the price list (or its adjustment) to the sales supervisor, then the company leader."""
        self.check_access("write")
        for pricelist in self:
            if not pricelist._ctrl_pricelist_checked():
                raise UserError(_("Price lists of %(company)s are not approved (see Settings > Sales controls > "
                                  "Approve price lists).", company=(pricelist.company_id or self.env.company).name))
            if pricelist._ctrl_is_approved(PRICELIST_KIND):
                raise UserError(_("Price list %(name)s is already approved as it is.", name=pricelist.name))
            pending = pricelist._ctrl_approval_requests(PRICELIST_KIND, ["pending"])
            if pending and pending._mismatch():
                pending.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
                pending._finish("cancel", _("Withdrawn: the price list changed after it was submitted."))
            request = pricelist._ctrl_request_approval(
                kind=PRICELIST_KIND, reason=_("Price list %(name)s: %(count)s price rules",
                                              name=pricelist.name, count=len(pricelist.item_ids)),
                payload=json.loads(json.dumps(pricelist._ctrl_pricelist_version(), default=str)))
            if not request:
                raise UserError(_("Price lists need approval, but no approval rule of kind 'pricelist' applies: "
                                  "configure one in Internal Control > Configuration > Approval Rules."))
        return True

    def _ctrl_on_approval_done(self, request):
        if request.kind != PRICELIST_KIND or request.state != "approved":
            return super()._ctrl_on_approval_done(request)
        # 003/R1.3: sent to finance for their records: the version stays on the request and in the chatter.
        finance = self.env.ref("ctrl_base.group_approver_finance").users.filtered(lambda u: u.active)
        lines = Markup("").join(
            Markup("<li>%s</li>") % item.display_name for item in self.with_context(active_test=False).item_ids)
        body = Markup("%s<ul>%s</ul>") % (
            _("Price list approved (%(request)s): this version is in force.", request=request.name), lines)
        self.message_post(body=body, partner_ids=finance.partner_id.ids, subtype_xmlid="mail.mt_comment")
        return None
