# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, models
from odoo.exceptions import UserError


class AgingXlsx(models.AbstractModel):
    """A computed aging report as XLSX: a summary sheet (customer x bucket,
    with the check against the receivable accounts) and a detail sheet of the
    open items; ``data["team_id"]`` keeps the items of one sales team (the
    month-end detail of each sales manager)."""

    _name = "report.ctrl_receivable.aging"
    _inherit = "ctrl.xlsx.report"
    _description = "Receivable aging (XLSX)"
    _ctrl_xlsx_constant_memory = True  # one detail row per open item

    def _ctrl_xlsx_check(self, records, data):
        if len(records) != 1:
            raise UserError(_("Export one aging report at a time: select a single report."))
        if records.state != "done":
            raise UserError(_("Compute the aging report before exporting it."))

    def _team(self, data):
        return self.env["crm.team"].browse(data.get("team_id") or [])

    def _ctrl_xlsx_filters(self, records, data):
        rows = [(_("As of"), records.date), (_("Buckets"), records.scheme_id.display_name),
                (_("Currency"), records.currency_id.name)]
        if team := self._team(data):
            rows.append((_("Sales team"), team.name))
        return rows

    def _fill_workbook(self, workbook, formats, records, data):
        report = records
        lines = report.line_ids
        if team := self._team(data):
            lines = lines.filtered(lambda line: line.team_id == team)
        self._fill_summary(workbook, formats, report, lines)
        self._fill_detail(workbook, formats, lines)

    def _fill_summary(self, workbook, formats, report, lines):
        buckets = report.scheme_id._ordered_buckets()
        sheet = workbook.add_worksheet(_("Summary"))
        columns = [(_("Customer"), 28), (_("Salesperson"), 28)] + [(name, 16) for name in buckets.mapped("name")]
        # 001/AR01.20, 000/R11-08: the remarks of the aging table, after the amounts.
        columns += [(_("Total"), 16), (_("Overdue reason"), 40), (_("Collection plan"), 40)]
        row = self._ctrl_xlsx_columns(sheet, workbook.first_row, columns, formats)
        Line = self.env["ctrl.aging.report.line"]
        per_partner = defaultdict(lambda: defaultdict(float))
        for partner, bucket, amount in Line._read_group(
                [("id", "in", lines.ids)], ["partner_id", "bucket_id"], ["amount:sum"]):
            per_partner[partner][bucket] += amount
        salesperson = {}
        for partner, user in Line._read_group([("id", "in", lines.ids)], ["partner_id", "user_id"]):
            salesperson.setdefault(partner, user)
        notes = self._overdue_notes(report, per_partner)
        money, money_bold = formats["money"], formats["money_bold"]
        totals = defaultdict(float)
        for partner in sorted(per_partner, key=lambda p: p.display_name or ""):
            amounts = per_partner[partner]
            for bucket in buckets:
                totals[bucket] += amounts.get(bucket, 0.0)
            names = [partner.display_name or _("(no partner)"), salesperson.get(partner, Line.user_id).name or ""]
            self._ctrl_xlsx_row(
                sheet, row, names + [amounts.get(bucket, 0.0) for bucket in buckets] + [sum(amounts.values())]
                + notes.get(partner, [False, False]),
                formats, [None, None] + [money] * (len(buckets) + 1) + [None, None])
            row += 1
        sheet.write(row, 0, _("Total"), formats["bold"])
        self._ctrl_xlsx_row(sheet, row, [None, None] + [totals[bucket] for bucket in buckets]
                            + [sum(totals.values())], formats, [None, None] + [money_bold] * (len(buckets) + 1))
        row += 2
        for label, value in ((_("Aging total"), report.total_open),
                             (_("Receivable accounts balance"), report.account_balance),
                             (_("Difference"), report.difference)):
            sheet.write(row, 0, label, formats["bold"])
            sheet.write_number(row, 2, value, money)
            row += 1
        sheet.write(row, 0, _("Reconciles") if report.reconciled else _("Does NOT reconcile"), formats["bold"])

    def _overdue_notes(self, report, partners):
        """Per customer: [overdue reason, collection plan] as the salesperson recorded them."""
        Note = self.env["ctrl.recv.overdue.note"]
        reasons = dict(Note._fields["reason"]._description_selection(self.env))
        notes = {}
        for note in Note.search([("partner_id", "in", [p.id for p in partners if p]),
                                 ("company_id", "=", report.company_id.id)]):
            reason = " - ".join(filter(None, [reasons.get(note.reason, ""), note.reason_note or ""]))
            plan = [note.plan or ""]
            if note.planned_date or note.planned_amount:
                plan.append(_("%(amount)s by %(date)s", amount=note.currency_id.format(note.planned_amount),
                              date=note.planned_date or "-"))
            notes[note.partner_id] = [reason or False, " - ".join(filter(None, plan)) or False]
        return notes

    def _fill_detail(self, workbook, formats, lines):
        sheet = workbook.add_worksheet(_("Detail"))
        row = self._ctrl_xlsx_columns(sheet, workbook.first_row, [
            (_("Customer"), 28), (_("Document"), 28), (_("Date"), 14), (_("Due date"), 14), (_("Days past due"), 14),
            (_("Bucket"), 14), (_("Class"), 14), (_("Salesperson"), 14), (_("Open amount"), 14), (_("Currency"), 14),
            (_("Open in currency"), 14)], formats)
        classes = dict(lines._fields["ar_class"]._description_selection(self.env))
        money = formats["money"]
        for line in lines.sorted(lambda ln: (ln.partner_id.display_name or "", ln.date_maturity or ln.date)):
            self._ctrl_xlsx_row(sheet, row, [
                line.partner_id.display_name or "", line.move_id.name or "", line.date, line.date_maturity,
                line.days_due, line.bucket_id.name or "", classes.get(line.ar_class, ""), line.user_id.name or "",
                line.amount, line.currency_id.name or "", line.amount_currency,
            ], formats, [None] * 8 + [money, None, money])
            row += 1
