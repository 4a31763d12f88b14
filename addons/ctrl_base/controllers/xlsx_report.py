# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging

import psycopg2.errors
import werkzeug.exceptions

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request
from odoo.tools.misc import html_escape

from ..models.ctrl_xlsx_report import XLSX_MIMETYPE

_logger = logging.getLogger(__name__)

# What the client's context may set for a print: the language, the time zone and the companies
# (Odoo checks those against the user's). Nothing else, so no key can skip a check.
CLIENT_CONTEXT_KEYS = ("lang", "tz", "allowed_company_ids")


class CtrlXlsxReportController(http.Controller):
    @http.route([
        "/ctrl_base/report/xlsx/<string:reportname>",
        "/ctrl_base/report/xlsx/<string:reportname>/<string:docids>",
    ], type="http", auth="user", methods=["GET", "POST"], readonly=True)
    def ctrl_xlsx_report(self, reportname, docids=None, options=None, context=None, **kwargs):
        """Download the XLSX report ``reportname`` of the records ``docids``
        (comma-separated ids), drawn as the logged-in user; ``options`` is the
        report's data (JSON), ``context`` the client's context (JSON)."""
        try:
            client_context = json.loads(context) if context else {}
            request.update_context(**{key: client_context[key] for key in CLIENT_CONTEXT_KEYS
                                      if key in client_context})
            Report = request.env["ir.actions.report"]
            report = Report._get_report_from_name(reportname)
            if not report or report.report_type != "xlsx":
                raise werkzeug.exceptions.NotFound()
            ids = [int(i) for i in docids.split(",") if i.isdigit()] if docids else []
            if request.env.cr.readonly and report.attachment and len(ids) == 1:
                raise psycopg2.errors.ReadOnlySqlTransaction(
                    f"The XLSX report {reportname} keeps a copy of the file")
            data = json.loads(options) if options else {}
            content = Report._render_xlsx(report, ids, data=data)[0]
            filename = report._ctrl_xlsx_filename(request.env[report.model].browse(ids))
        except (werkzeug.exceptions.HTTPException, psycopg2.errors.ReadOnlySqlTransaction):
            raise
        except Exception as error:  # shown by the web client like an RPC error
            raise self._error(reportname, error) from error
        return request.make_response(content, headers=[
            ("Content-Type", XLSX_MIMETYPE),
            ("Content-Length", len(content)),
            ("Content-Disposition", content_disposition(filename)),
        ])

    def _error(self, reportname, error):
        """An HTTP error whose body the web client's download shows as it shows an RPC error."""
        if isinstance(error, AccessError):
            status = 403
        elif isinstance(error, UserError):
            status = 400
        else:
            status = 500
            _logger.warning("Error while drawing the XLSX report %s", reportname, exc_info=True)
        body = json.dumps({"code": 200, "message": "Odoo Server Error", "data": http.serialize_exception(error)})
        response = request.make_response(html_escape(body), status=status)
        return werkzeug.exceptions.HTTPException(response=response)
