# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
from datetime import date, datetime

import xlsxwriter

from odoo import _, fields, models

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CtrlWorkbook(xlsxwriter.Workbook):
    """An xlsxwriter workbook whose every sheet opens with the report's header
    (company, printed on, filters): a sheet's own content starts at
    ``first_row``."""

    def __init__(self, output, options, header, formats_factory):
        super().__init__(output, options)
        self.ctrl_header = header
        self.ctrl_formats = formats_factory(self)
        self.first_row = len(header) + 1  # a blank row under the header

    def add_worksheet(self, name=None, **kwargs):
        # Odoo's patched Workbook also drops the characters Excel refuses in a sheet name.
        sheet = super().add_worksheet(name, **kwargs)
        for row, (label, value) in enumerate(self.ctrl_header):
            sheet.write(row, 0, label, self.ctrl_formats["bold"])
            write_value(sheet, row, 1, value, self.ctrl_formats)
        return sheet


def write_value(sheet, row, col, value, formats, cell_format=None):
    """Write ``value`` with the type Excel should see: dates and datetimes
    as dates, numbers as numbers, nothing for False/None, else text."""
    if value is None or value is False:
        return
    if isinstance(value, datetime):
        sheet.write_datetime(row, col, value, cell_format or formats["datetime"])
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, cell_format or formats["date"])
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, cell_format)
    else:
        sheet.write_string(row, col, str(value), cell_format)


class CtrlXlsxReport(models.AbstractModel):
    """What every XLSX report of ctrl shares (``ir.actions.report`` of type
    ``xlsx``). The report ``<module>.<name>`` is drawn by the model
    ``report.<module>.<name>``, which inherits this one and implements
    ``_fill_workbook``. This model makes the workbook, writes the same header
    on each sheet (company, when it was printed, the filters given) and
    offers the shared formats. It runs as the user who prints: their access
    rights and record rules apply to everything the report reads."""

    _name = "ctrl.xlsx.report"
    _description = "XLSX report"

    # Big sheets: rows go to a temporary file as they are written (in order only) instead of memory.
    _ctrl_xlsx_constant_memory = False

    def _ctrl_xlsx_render(self, records, data):
        """The workbook of ``records`` (possibly none) and ``data`` (the
        report's parameters), as bytes."""
        self._ctrl_xlsx_check(records, data)
        company = self._ctrl_xlsx_company(records, data)
        printed = fields.Datetime.context_timestamp(self, fields.Datetime.now()).replace(tzinfo=None)
        header = [(_("Company"), company.name), (_("Printed on"), printed)]
        header += self._ctrl_xlsx_filters(records, data)
        if self._ctrl_xlsx_constant_memory:
            options = {"constant_memory": True}
        else:
            options = {"in_memory": True}
        output = io.BytesIO()
        workbook = CtrlWorkbook(output, options, header, lambda book: self._ctrl_xlsx_formats(book, company))
        self._fill_workbook(workbook, workbook.ctrl_formats, records, data)
        workbook.close()
        return output.getvalue()

    # Hooks -----------------------------------------------------------------------
    def _ctrl_xlsx_check(self, records, data):
        """Refuse (AccessError, UserError) what the user may not print; the
        report's groups and the read access to ``records`` are already checked."""

    def _ctrl_xlsx_company(self, records, data):
        """The company the report is about: the records' one, else the user's current company."""
        if "company_id" in records._fields and len(records.company_id) == 1:
            return records.company_id
        return self.env.company

    def _ctrl_xlsx_filters(self, records, data):
        """[(label, value)] of the header after the company and the date: the
        filters and parameters of this print. By default, the records printed."""
        if not records:
            return []
        names = records[:10].mapped("display_name")
        if len(records) > 10:
            names.append(_("and %(count)s more", count=len(records) - 10))
        return [(_("Records"), ", ".join(names))]

    def _fill_workbook(self, workbook, formats, records, data):
        """Add the sheets (``workbook.add_worksheet``: the header comes with
        each) and write their content from ``workbook.first_row`` on."""
        raise NotImplementedError(f"{self._name} must implement _fill_workbook")

    # Helpers ---------------------------------------------------------------------
    def _ctrl_xlsx_formats(self, workbook, company):
        """The shared cell formats; money with the decimals of the company's currency."""
        digits = company.currency_id.decimal_places
        money = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return {
            "bold": workbook.add_format({"bold": True}),
            "header": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}),
            "money": workbook.add_format({"num_format": money}),
            "money_bold": workbook.add_format({"num_format": money, "bold": True}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        }

    def _ctrl_xlsx_columns(self, sheet, row, columns, formats):
        """Write the column titles of a table at ``row`` and set the columns'
        widths: ``columns`` is [(title, width)]. Returns the next row."""
        for col, (title, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write_string(row, col, title, formats["header"])
        sheet.freeze_panes(row + 1, 0)
        return row + 1

    def _ctrl_xlsx_row(self, sheet, row, values, formats, cell_formats=None):
        """Write ``values`` on ``row`` (``write_value``), with the format of the
        same position in ``cell_formats`` where given."""
        for col, value in enumerate(values):
            cell_format = cell_formats[col] if cell_formats and col < len(cell_formats) else None
            write_value(sheet, row, col, value, formats, cell_format)
