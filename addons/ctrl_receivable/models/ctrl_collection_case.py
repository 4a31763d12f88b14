# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class CtrlCollectionCase(models.Model):
    """A problem account (问题账款) or a legal case on a customer's overdue
    invoices (001 AR02 family, N82-N89; 003/D13 R13.8-R13.10).

    The salesperson reports within 7 days, finance answers within 2 working
    days, a report sent back is filed again within 3 days, and a case still
    open after 30 days goes to the GM (ladder ``problem_case``). A legal case
    reminds before the 3-year limitation runs out (ladder ``legal_limitation``).

    The state and the dates of the report and of the answer are set only by
    the buttons (``ctrl.lifecycle.mixin``); finance's handling plan is
    written by Receivables managers, and a sent report or a given plan is
    fixed.
    """

    _name = "ctrl.collection.case"
    _description = "Problem Account / Legal Case"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.escalation.mixin", "ctrl.lifecycle.mixin"]
    _order = "date_open desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    kind = fields.Selection([("problem", "Problem account"), ("legal", "Legal case")], required=True,
                            default="problem", tracking=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_ids = fields.Many2many("account.move", string="Invoices", check_company=True,
                                domain="[('move_type', '=', 'out_invoice'), ('partner_id', 'child_of', partner_id)]")
    user_id = fields.Many2one("res.users", "Salesperson", tracking=True)
    date_open = fields.Date("Opened", required=True, default=fields.Date.context_today, readonly=True)
    report_deadline = fields.Date(readonly=True, default=lambda self: fields.Date.context_today(self) + relativedelta(
        days=7), help="The problem-account report is due within 7 days (a problem-customer report within "
        "1 day).")
    report = fields.Html("Problem-account report", help="Facts, the customer's situation and proposed measures.")
    date_reported = fields.Date(readonly=True, tracking=True)
    answer = fields.Html("Finance's handling plan")
    answer_deadline = fields.Date(readonly=True, help="Finance answers within 2 working days.")
    state = fields.Selection(
        [("open", "Open"), ("reported", "Reported"), ("answered", "Plan given"), ("closed", "Closed")],
        default="open", required=True, tracking=True, index=True)
    overdue_amount = fields.Monetary(compute="_compute_overdue_amount", help="Open overdue amount of the customer.")
    lead = fields.Selection(
        [("salesperson", "Salesperson"), ("marketing_director", "Marketing director"),
         ("task_force", "GM-led task force")], compute="_compute_overdue_amount",
        help="Below 800,000 the salesperson leads, up to 1,000,000 the marketing director, "
        "above it a task force led by the GM (thresholds in the settings).")
    # Legal case
    court = fields.Char(tracking=True)
    case_number = fields.Char(tracking=True)
    legal_status = fields.Selection(
        [("preparing", "Preparing"), ("filed", "Filed"), ("judgment", "Judgment"), ("enforcement", "Enforcement"),
         ("settled", "Settled")], tracking=True)
    legal_cost = fields.Monetary("Legal costs", tracking=True)
    last_acknowledged = fields.Date(
        "Debt last acknowledged", tracking=True,
        help="Last date the customer acknowledged the debt or was formally claimed: the 3-year limitation "
        "period runs from it.")
    limitation_date = fields.Date(compute="_compute_limitation_date", store=True, index=True)

    _ctrl_protected_fields = ("date_open", "report_deadline", "date_reported", "answer_deadline")
    # Only an open case is deleted (by a manager); a reported one is evidence.
    _ctrl_draft_states = ("open",)

    def _ctrl_check_write(self, vals):
        result = super()._ctrl_check_write(vals)
        if "report" in vals and any(case.state != "open" for case in self):
            raise UserError(_("Problem-account report: a sent report cannot change. Ask finance to send it back "
                              "(it then reopens for 3 days)."))
        if "answer" in vals:
            self._check_finance()
            if any(case.state in ("answered", "closed") for case in self):
                raise UserError(_("Finance's handling plan: a given plan cannot change; add a note in the "
                                  "chatter instead."))
        return result

    @api.depends("last_acknowledged", "move_ids.invoice_date_due")
    def _compute_limitation_date(self):
        for case in self:
            start = case.last_acknowledged or min(case.move_ids.mapped("invoice_date_due") or [False]) or False
            case.limitation_date = start and start + relativedelta(years=3)

    @api.depends("partner_id", "company_id")
    def _compute_overdue_amount(self):
        today = fields.Date.context_today(self)
        for case in self:
            company = case.company_id or self.env.company
            groups = self.env["account.move"].sudo()._read_group(
                [("commercial_partner_id", "=", case.partner_id.commercial_partner_id.id),
                 ("company_id", "=", company.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
                 ("payment_state", "in", ("not_paid", "partial")), ("invoice_date_due", "<", today)],
                [], ["amount_residual_signed:sum"])
            case.overdue_amount = groups[0][0] if groups else 0.0
            if company.currency_id.compare_amounts(case.overdue_amount, company.ctrl_recv_case_director_from) < 0:
                case.lead = "salesperson"
            elif company.currency_id.compare_amounts(case.overdue_amount, company.ctrl_recv_case_task_force_from) <= 0:
                case.lead = "marketing_director"
            else:
                case.lead = "task_force"

    @api.model_create_multi
    def create(self, vals_list):
        # The ladder opens cases by the thousand: look the sequence up once.
        sequence = self.env["ir.sequence"].sudo().search(
            [("code", "=", "ctrl.collection.case"), ("company_id", "in", [self.env.company.id, False])],
            order="company_id", limit=1)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence._next() if sequence else "/"
            if not vals.get("report_deadline") and vals.get("date_open"):
                vals["report_deadline"] = fields.Date.to_date(vals["date_open"]) + relativedelta(days=7)
        cases = super().create(vals_list)
        cases._ctrl_ask_report()
        return cases

    def _ctrl_ask_report(self):
        """The report is due by the deadline: one activity per case, created
        in one batch (cases are opened by the thousand by the ladder)."""
        values = {
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "activity_type_id": self.env.ref("ctrl_base.mail_activity_type_escalation").id,
            "summary": _("File the problem-account report"),
        }
        self.env["mail.activity"]._ctrl_create_batch([
            dict(values, res_id=case.id, date_deadline=case.report_deadline, user_id=(case.user_id or self.env.user).id)
            for case in self])

    @api.model
    def _ctrl_open_for(self, moves, kind):
        """The open case of each customer of ``moves`` (created when missing),
        with the invoices added: {commercial partner: case}."""
        result = {}
        for company, company_moves in moves.grouped("company_id").items():
            groups = company_moves.grouped("commercial_partner_id")
            cases = self._ctrl_open_cases(company, list(groups), kind)
            older = self._ctrl_older_invoice_added(cases, groups)
            missing = [partner for partner in groups if partner not in cases]
            created = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True,
                                        mail_auto_subscribe_no_notify=True, tracking_disable=True).create([{
                "partner_id": partner.id, "company_id": company.id, "kind": kind,
                "user_id": groups[partner][0].invoice_user_id.id,
            } for partner in missing])
            cases.update(zip(missing, created))
            # Link the invoices in one statement (the relation has a primary key: no duplicates).
            self.flush_model(["move_ids"])
            self.env.cr.execute(SQL(
                """INSERT INTO account_move_ctrl_collection_case_rel (ctrl_collection_case_id, account_move_id)
                   SELECT * FROM unnest(%s::int[], %s::int[]) ON CONFLICT DO NOTHING""",
                [cases[partner].id for partner, pm in groups.items() for _m in pm],
                [m.id for pm in groups.values() for m in pm]))
            self.invalidate_model(["move_ids"])
            # The relation was written in SQL, which the ORM does not see: the new cases and those an older
            # invoice joined compute their limitation date again (not every case of the batch: 0.5 s a batch).
            (created | older).modified(["move_ids"])
            result.update(cases)
        return result

    @api.model
    def _ctrl_older_invoice_added(self, cases, moves_of):
        """Among the open ``cases`` ({customer: case}), those whose limitation
        date an invoice of ``moves_of`` ({customer: invoices}) moves earlier:
        due before the case's oldest invoice, and no later acknowledgement."""
        older = []
        for partner, case in cases.items():
            dues = [due for due in moves_of[partner].mapped("invoice_date_due") if due]
            if dues and not case.last_acknowledged and (
                    not case.limitation_date or min(dues) + relativedelta(years=3) < case.limitation_date):
                older.append(case.id)
        return self.browse(older)

    @api.model
    def _ctrl_open_cases(self, company, partners, kind):
        """{customer: its open case of ``kind`` in ``company``} (the latest, if several)."""
        existing = self.search([("partner_id", "in", [p.id for p in partners]), ("company_id", "=", company.id),
                                ("kind", "=", kind), ("state", "!=", "closed")], order="id")
        return {case.partner_id: case for case in existing}

    @api.model
    def _ctrl_missing_for(self, moves, kind):
        """[(customer, its first invoice)] of ``moves`` without an open case of
        ``kind``: those ``_ctrl_open_for`` would open one for (go-live preview)."""
        result = []
        for company, company_moves in moves.grouped("company_id").items():
            groups = company_moves.grouped("commercial_partner_id")
            open_cases = self._ctrl_open_cases(company, list(groups), kind)
            result += [(partner, partner_moves[0]) for partner, partner_moves in groups.items()
                       if partner not in open_cases]
        return result

    @api.model
    def _ctrl_report_anomaly(self, partner, note):
        """001/N89: a problem-customer report within 1 day of an anomaly."""
        self.check_access("create")
        case = self.sudo().create({"partner_id": partner.commercial_partner_id.id, "kind": "problem",
                            "user_id": partner.user_id.id or self.env.uid,
                            "report_deadline": fields.Date.context_today(self) + relativedelta(days=1)})
        case = case.with_env(self.env)
        case.message_post(body=note)
        return case

    def action_report(self):
        self.check_access("write")
        for case in self:
            if case.state != "open":
                raise UserError(_("Case %(case)s is not waiting for a report.", case=case.name))
            if not case.report:
                raise UserError(_("Case %(case)s: write the problem-account report (the facts and the proposed "
                                  "measures) before sending it.", case=case.name))
            case._ctrl_set_state("reported", date_reported=fields.Date.context_today(self),
                                 answer_deadline=case.company_id._ctrl_recv_add_working_days(
                                     fields.Date.context_today(self), 2))
            case.activity_feedback(["ctrl_base.mail_activity_type_escalation"])
            for user in self.env.ref("ctrl_receivable.group_receivable_manager").users.filtered(
                    lambda u, c=case: c.company_id in u.company_ids and not u.share):
                case.activity_schedule("ctrl_base.mail_activity_type_escalation", user_id=user.id,
                                       date_deadline=case.answer_deadline,
                                       summary=_("Give the handling plan (within 2 working days)"))
        return True

    def action_send_back(self):
        """Finance finds the report incomplete: it is filed again within 3 days (N86)."""
        self._check_finance()
        for case in self.filtered(lambda c: c.state == "reported"):
            case.activity_unlink(["ctrl_base.mail_activity_type_escalation"])
            case._ctrl_set_state("open", report_deadline=fields.Date.context_today(self) + relativedelta(days=3))
            case._ctrl_ask_report()
        return True

    def action_answer(self):
        self._check_finance()
        for case in self:
            if case.state != "reported" or not case.answer:
                raise UserError(_("Case %(case)s: write the handling plan of a reported case first.",
                                  case=case.name))
            case._ctrl_set_state("answered")
            case.activity_feedback(["ctrl_base.mail_activity_type_escalation"])
        return True

    def action_go_legal(self):
        self.write({"kind": "legal", "legal_status": "preparing"})
        return True

    def action_close(self):
        self.check_access("write")
        self._ctrl_set_state("closed")
        self.activity_unlink(["ctrl_base.mail_activity_type_escalation"])
        return True

    def _ctrl_escalation_report_late(self, level):
        """001/N84: a case whose report is still not filed goes to the sales managers."""
        managers = self.env.ref("ctrl_base.group_approver_sales_manager").users
        for case in self.filtered(lambda c: c.state == "open"):
            for user in managers.filtered(lambda u, c=case: c.company_id in u.company_ids) or self.env.user:
                case.activity_schedule("ctrl_base.mail_activity_type_escalation", user_id=user.id,
                                       summary=_("Problem-account report of %(case)s is late",
                                                 case=case.name))

    def _check_finance(self):
        if not self.env.user.has_group("ctrl_receivable.group_receivable_manager"):
            raise AccessError(_("Only Receivables managers (finance) answer or send back problem-account reports."))
