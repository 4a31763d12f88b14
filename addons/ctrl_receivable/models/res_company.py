# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.ctrl_base.tools.i18n import company_lang, installed_langs, load_module_terms

from .ctrl_balance_confirmation import FREQUENCIES


class ResCompany(models.Model):
    _inherit = "res.company"

    # Aging and KPIs (ctrl_receivable I) ------------------------------------
    ctrl_recv_collection_scheme_id = fields.Many2one(
        "ctrl.aging.scheme", "Collection aging scheme", domain="[('company_id', '=', id)]",
        help="Reporting columns by days past due (not due, 1-10, 11-30, 31-60, 61-90, "
        "91-180, 181-365, over 365).")
    ctrl_recv_provision_scheme_id = fields.Many2one(
        "ctrl.aging.scheme", "Provisioning aging scheme", domain="[('company_id', '=', id)]",
        help="Age since the invoice date in years, with the bad-debt rate per bucket.")
    ctrl_recv_class_overdue_days = fields.Integer(
        "Overdue from (days past due)", default=20,
        help="Normal below this many days past due, overdue from it.")
    ctrl_recv_class_sluggish_days = fields.Integer(
        "Sluggish after (days past due)", default=90,
        help="Overdue up to this many days past due, sluggish above it.")
    ctrl_recv_class_bad_days = fields.Integer(
        "Bad after (days past due)", default=360,
        help="Sluggish up to this many days past due, bad above it.")  # 001/AR06.19
    ctrl_recv_dso_days = fields.Integer(
        "DSO period (days)", default=90, help="Days of credit sales that DSO compares the open receivables with.")
    ctrl_recv_bad_debt_target = fields.Float(
        "Bad-debt rate target (‰)", default=5.0, digits=(16, 2),
        help="Bad debts written off in the last 12 months over the credit sales of the same "
        "months should stay within this many per mille.")
    ctrl_recv_aging_due_day = fields.Integer(
        "Aging table by day", default=5,
        help="The monthly aging table of the previous month is issued by this day of the month.")
    ctrl_recv_finance_director_id = fields.Many2one(
        "res.users", "Finance director",
        help="Receives the monthly aging table. Empty: the Finance Manager / Director approvers.")
    ctrl_recv_aging_keep_months = fields.Integer(
        "Keep scheduled aging reports (months)", default=13,
        help="Weekly and month-end aging reports older than this are deleted by the scheduled actions that "
        "make them, with their lines. Reports computed on demand are kept. 0: keep them all.")
    # Provisioning ----------------------------------------------------------
    ctrl_recv_provision_journal_id = fields.Many2one(
        "account.journal", "Provision journal", domain="[('type', '=', 'general'), ('company_id', '=', id)]",
        help="Miscellaneous journal of the bad-debt provision entries.")
    ctrl_recv_provision_expense_account_id = fields.Many2one(
        "account.account", "Bad-debt expense account",
        help="Charged by an increase of the allowance (administrative expenses).")
    ctrl_recv_allowance_account_id = fields.Many2one(
        "account.account", "Allowance account",
        help="The bad-debt allowance, a contra-receivable account credited by provisions.")
    ctrl_recv_exclude_related = fields.Boolean(
        "Related parties not in full", default=True,
        help="Receivables from related (intra-group) partners are not provided in full unless approved.")
    ctrl_recv_exclude_current_year = fields.Boolean(
        "Current-year items not in full", default=True,
        help="Receivables invoiced in the current fiscal year are not provided in full unless approved.")
    ctrl_recv_exclude_unmatured = fields.Boolean(
        "Unmatured items not in full", default=True,
        help="Receivables not yet due are not provided in full unless approved.")
    ctrl_recv_excluded_rate_cap = fields.Float(
        "Excluded items: at most (%)", default=50.0, digits=(16, 2),
        help="Highest scheme rate applied to excluded items; a higher rate needs an approved specific provision.")
    ctrl_recv_expected_loss = fields.Boolean(
        "Expected-loss matrix",
        help="Show loss rates derived from the company's own aging history (roll rates between yearly "
        "snapshots, IFRS 9 / CAS 22 simplified approach) beside the configured rates.")
    ctrl_recv_expected_loss_years = fields.Integer(
        "History (years)", default=3,
        help="Number of yearly windows of history that the expected-loss roll rates are measured over.")

    # Collection (ctrl_receivable II) ---------------------------------------
    ctrl_recv_collection_hold_mode = fields.Selection(
        [("warn", "Warn"), ("block", "Block")], "Collection ladder holds", default="block",
        help="A ladder level that holds the customer blocks new credit sales and deliveries, or only warns.")
    ctrl_recv_suspension_mode = fields.Selection(
        [("warn", "Warn"), ("block", "Block")], "Suspension of sales under collection", default="block",
        help="Sales to a customer whose invoice is still under collection are suspended.")
    ctrl_recv_suspension_days = fields.Integer(
        "Suspend after (days under collection)", default=30,
        help="Days an invoice stays under collection before sales to the customer are suspended (30 by default).")
    ctrl_recv_case_director_from = fields.Monetary(
        "Marketing director leads from", currency_field="currency_id", default=800000.0,
        help="A problem account of a customer owing this much overdue is led by the marketing "
        "director (below: the salesperson).")
    ctrl_recv_case_task_force_from = fields.Monetary(
        "GM task force above", currency_field="currency_id", default=1000000.0,
        help="Above this overdue amount, a task force led by the GM.")

    ctrl_recv_deduction_basis = fields.Selection(
        [("invoice", "Invoice amount"), ("open", "Open amount")], "Deductions: share of the", default="invoice",
        required=True,
        # 001/AR03.16, AR05.13: 「扣经办人员该票金额20%的计奖成绩」
        help="The collection ladder deducts its rate of the invoice's amount (default) or of what is still open on "
        "it from the salesperson's bonus-counted performance.")

    # 001/AR02.16: 「由业务员对所负责的客户提前天进行付款书面提示,提示其制订付款计划」. The number of days is
    # blank in every copy of the policy (AR02, AR23, AR29, AR33), so there is no default: 0 sends none.
    ctrl_recv_predue_days = fields.Integer(
        "Written reminder before the due date (days)", default=0,
        help="This many days before an invoice falls due, the customer is mailed a written reminder that asks it "
        "to pay on time or to send its payment plan, and the salesperson gets an activity to record the answer "
        "as a promise to pay. 0: no reminder before the due date.")

    # 003/R1.28: 「应查明责任,并履行规定的审批程序后作出会计处理」 (seed policy: it adds a step to the write-off).
    ctrl_recv_writeoff_needs_review = fields.Boolean(
        "Write-offs need an approved bad-debt review",
        help="A write-off is submitted only for invoices a bad-debt review found bad, with who is responsible, and "
        "the department head approved; the write-off is then prepared from that review.")

    @api.constrains("ctrl_recv_suspension_days", "ctrl_recv_case_director_from", "ctrl_recv_case_task_force_from",
                    "ctrl_recv_predue_days")
    def _check_ctrl_recv_collection(self):
        for company in self:
            if company.ctrl_recv_suspension_days < 1:
                raise ValidationError(_("'Suspend after' must be at least 1 day."))
            if not 0 <= company.ctrl_recv_predue_days <= 90:
                raise ValidationError(_("'Written reminder before the due date (days)' must be between 0 (no "
                                        "reminder) and 90 days."))
            if company.currency_id.compare_amounts(company.ctrl_recv_case_task_force_from,
                                                   company.ctrl_recv_case_director_from) < 0:
                raise ValidationError(_("'GM task force above' cannot be below 'Marketing director leads from'."))

    # Balance confirmations and handover (ctrl_receivable II) ---------------
    ctrl_recv_confirmation_frequency = fields.Selection(
        FREQUENCIES, "Default confirmation frequency", default="yearly", required=True,
        help="Frequency of the customers without one of their own (yearly, or half-yearly for closely followed "
        "groups). Related parties (intra-group) get monthly.")
    ctrl_recv_confirmation_hold = fields.Boolean(
        "Hold unconfirmed customers",
        help="Put a customer on a credit hold (reason 'Balance not confirmed') when a confirmation is not "
        "confirmed the given days after it was sent, or is disputed. Confirming or resolving lifts it.")
    ctrl_recv_confirmation_hold_days = fields.Integer(
        "Unconfirmed after (days)", default=30, help="Days after sending before an unconfirmed customer is held.")
    ctrl_recv_confirmation_hold_mode = fields.Selection(
        [("warn", "Warn"), ("block", "Block")], "Confirmation hold mode", default="block", required=True,
        help="Block credit sales to the held customer, or only warn.")
    ctrl_recv_dispute_cause_days = fields.Integer(
        "Cause within (working days)", default=1,
        help="The cause of a balance difference is found within 1 working day.")
    ctrl_recv_dispute_resolve_days = fields.Integer(
        "Resolved within (working days)", default=3,
        help="A balance difference is resolved within 3 working days.")
    ctrl_recv_confirmation_manager_id = fields.Many2one(
        "res.users", "Receivable manager",
        help="Gets an activity when a dispute misses its deadline. Empty: the Receivables managers.")
    ctrl_recv_handover_archive_mode = fields.Selection(
        [("warn", "Warn"), ("block", "Block")], "Archiving a user with receivables", default="warn", required=True,
        help="Archiving a user who still holds open invoices logs a warning on the user, or "
        "is blocked until the receivables are handed over.")

    @api.model
    def _ctrl_policy_settings(self):
        # (Odoo defaults, seed policy). 001/AR03.16, 003/D13 (holds and suspension of customers under
        # collection); 001/AR01.11 (no transfer or departure before the customer files are handed over).
        return {
            **super()._ctrl_policy_settings(),
            "ctrl_recv_collection_hold_mode": (None, "block"),
            "ctrl_recv_suspension_mode": (None, "block"),
            "ctrl_recv_handover_archive_mode": ("warn", "block"),
            # 003/R1.28: a bad debt is written off only after its responsibility finding is approved.
            "ctrl_recv_writeoff_needs_review": (False, True),
        }

    @api.constrains("ctrl_recv_excluded_rate_cap")
    def _check_ctrl_recv_rates(self):
        for company in self:
            if not 0.0 <= company.ctrl_recv_excluded_rate_cap <= 100.0:
                raise ValidationError(_("'Excluded items: at most' must be between 0 and 100%."))

    @api.constrains("ctrl_recv_class_overdue_days", "ctrl_recv_class_sluggish_days", "ctrl_recv_class_bad_days",
                    "ctrl_recv_dso_days",
                    "ctrl_recv_aging_due_day", "ctrl_recv_bad_debt_target", "ctrl_recv_expected_loss_years",
                    "ctrl_recv_aging_keep_months")
    def _check_ctrl_recv_days(self):
        for company in self:
            if company.ctrl_recv_class_overdue_days < 1 or \
                    company.ctrl_recv_class_sluggish_days < company.ctrl_recv_class_overdue_days:
                raise ValidationError(_("'Overdue from' must be at least 1 day and 'Sluggish after' must not be "
                                        "below it."))
            if company.ctrl_recv_class_bad_days < company.ctrl_recv_class_sluggish_days:
                raise ValidationError(_("'Bad after' must not be below 'Sluggish after'."))
            if company.ctrl_recv_dso_days < 1:
                raise ValidationError(_("The DSO period must be at least 1 day."))
            if not 1 <= company.ctrl_recv_aging_due_day <= 28:
                raise ValidationError(_("'Aging table by day' must be a day between 1 and 28."))
            if company.ctrl_recv_expected_loss_years < 1:
                raise ValidationError(_("The expected-loss history must be at least 1 year."))
            if company.ctrl_recv_aging_keep_months < 0:
                raise ValidationError(_("'Keep scheduled aging reports' cannot be negative (0 keeps them all)."))
            if company.ctrl_recv_bad_debt_target < 0:
                raise ValidationError(_("The bad-debt rate target cannot be negative."))

    @api.constrains("ctrl_recv_confirmation_hold_days", "ctrl_recv_dispute_cause_days",
                    "ctrl_recv_dispute_resolve_days")
    def _check_ctrl_recv_confirmation_days(self):
        for company in self:
            if company.ctrl_recv_confirmation_hold_days < 0:
                raise ValidationError(_("'Unconfirmed after (days)' cannot be negative."))
            if company.ctrl_recv_dispute_cause_days < 1 or \
                    company.ctrl_recv_dispute_resolve_days < company.ctrl_recv_dispute_cause_days:
                raise ValidationError(_("'Cause within' must be at least 1 working day and 'Resolved within' must "
                                        "not be below it."))

    def _ctrl_recv_add_working_days(self, date, days):
        """The ``days``-th working day after ``date`` on the company's working
        calendar (public holidays included), Monday to Friday without one."""
        self.ensure_one()
        date = fields.Date.to_date(date)
        calendar = self.resource_calendar_id
        if calendar:
            tz = pytz.timezone(calendar.tz or "UTC")
            start = tz.localize(datetime.combine(date + timedelta(days=1), time.min))
            end = calendar.plan_days(days, start, compute_leaves=True)
            if end:
                return end.astimezone(tz).date()
        while days > 0:
            date += timedelta(days=1)
            if date.weekday() < 5:
                days -= 1
        return date

    def _ctrl_recv_scheme(self, purpose):
        """The company's collection or provisioning scheme, created with the
        seed defaults when missing."""
        self.ensure_one()
        field = f"ctrl_recv_{purpose}_scheme_id"
        if not self[field]:
            # Created in English whatever the user's language, then translated into every installed one.
            Scheme = self.env["ctrl.aging.scheme"].sudo().with_context(lang="en_US")
            scheme = Scheme.create(Scheme._default_vals(self, purpose))
            Scheme._translate_defaults()
            self.sudo()[field] = scheme
        return self[field]

    @api.model
    def _ctrl_recv_install_defaults(self):
        for company in self.sudo().search([]):
            company._ctrl_recv_scheme("collection")
            company._ctrl_recv_scheme("provision")

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        for company in companies:
            company._ctrl_recv_scheme("collection")
            company._ctrl_recv_scheme("provision")
        if any(vals.get("ctrl_recv_predue_days") for vals in vals_list):
            self._ctrl_recv_sync_predue_level()
        return companies

    def write(self, vals):
        result = super().write(vals)
        if "ctrl_recv_predue_days" in vals:
            self._ctrl_recv_sync_predue_level()
        return result

    @api.model
    def _ctrl_recv_sync_predue_level(self):
        """The collection ladders' level before the due date fires as early as
        the company that reminds earliest; ``account.move``'s level domain
        narrows it to each company's own days. Its activity is due on the due
        date when the reminder goes out on time."""
        days = max(self.sudo().search([]).mapped("ctrl_recv_predue_days") + [1])
        levels = self.env["ctrl.escalation.level"].sudo().search([("callback", "=", "_ctrl_escalation_predue")])
        levels.filtered(lambda lv: lv.days != -days or lv.activity_deadline_days != days).write(
            {"days": -days, "activity_deadline_days": days})

    # Demo data -------------------------------------------------------------
    @api.model
    def _ctrl_recv_demo_story(self):
        """Demo data (demo/ctrl_receivable_demo.xml), on ctrl_credit's demo customers and invoices: the
        provisioning accounts, today's aging computed by the accountant and last month's provision run
        submitted to the finance director. Done once: a later update keeps what users did."""
        company = self.env.ref("base.main_company")
        if self.env["ctrl.provision.run"].search_count([("company_id", "=", company.id)]):
            return
        self = self.with_context(lang=company_lang(company))  # the database's language, as its users write
        load_module_terms(self.env, "ctrl_receivable")
        accountant = self.env.ref("ctrl_base.demo_user_accountant")
        if not company.ctrl_recv_allowance_account_id:
            company.write(self._ctrl_recv_demo_accounts(company))
        Report = self.env["ctrl.aging.report"].with_user(accountant).with_company(company)
        Report.create({"company_id": company.id, "scheme_id": company._ctrl_recv_scheme("collection").id}) \
            .action_compute()
        month_end = fields.Date.context_today(self).replace(day=1) - timedelta(days=1)
        run = self.env["ctrl.provision.run"].with_user(accountant).with_company(company)._prepare(company, month_end)
        run.action_submit()

    @api.model
    def _ctrl_recv_demo_accounts(self, company):
        Account = self.env["account.account"].with_company(company)
        expense = Account.create({"name": "Bad-debt expense", "code": "660300", "account_type": "expense"})
        allowance = Account.create({"name": "Allowance for doubtful accounts", "code": "121900",
                                    "account_type": "asset_current"})
        if "zh_CN" in installed_langs(self.env):
            expense.update_field_translations("name", {"zh_CN": "坏账损失"})
            allowance.update_field_translations("name", {"zh_CN": "坏账准备"})
        return {
            "ctrl_recv_provision_journal_id": self.env["account.journal"].search(
                [("company_id", "=", company.id), ("type", "=", "general")], limit=1).id,
            "ctrl_recv_provision_expense_account_id": expense.id,
            "ctrl_recv_allowance_account_id": allowance.id,
        }
