/* Copyright 2026 ctrl contributors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

/**
 * The URL that draws an XLSX report action for the records it was given.
 *
 * @param {Object} action an ir.actions.report of type "xlsx"
 * @returns {string}
 */
export function getXlsxReportUrl(action) {
    const url = `/ctrl_base/report/xlsx/${encodeURIComponent(action.report_name)}`;
    const ids = (action.context && action.context.active_ids) || [];
    return ids.length ? `${url}/${ids.join(",")}` : url;
}

/**
 * Downloads the reports of type "xlsx" (ctrl_base's spreadsheet reports), as
 * the web client downloads PDF reports. Other reports are left to the next handler.
 */
export async function xlsxReportHandler(action, options, env) {
    if (action.report_type !== "xlsx") {
        return false;
    }
    env.services.ui.block();
    try {
        await download({
            url: getXlsxReportUrl(action),
            data: {
                options: JSON.stringify(action.data || {}),
                context: JSON.stringify({ ...user.context, ...(action.context || {}) }),
            },
        });
    } finally {
        env.services.ui.unblock();
    }
    if (action.close_on_report_download) {
        await env.services.action.doAction(
            { type: "ir.actions.act_window_close" },
            { onClose: options.onClose }
        );
    } else if (options.onClose) {
        options.onClose();
    }
    return true;
}

registry.category("ir.actions.report handlers").add("ctrl_base_xlsx", xlsxReportHandler);
