/** @odoo-module **/
// An accountant's aging to a posted provision: the accountant computes the aging and reads its items,
// prepares last month's provision run and submits it; the finance director approves it, which posts
// the journal entry.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { ctrlTourSteps, openMenu } from "@ctrl_base/../tests/tours/ctrl_tour_utils";

const CUSTOMER = "Harbour Steel Works";

registry.category("web_tour.tours").add("ctrl_receivable_provision_prepare_tour", {
    steps: () =>
        ctrlTourSteps([
            ...stepUtils.goToAppSteps("account.menu_finance", "Open Invoicing"),
            ...openMenu("account.menu_finance_reports", "ctrl_receivable.menu_ctrl_aging_reports"),
            {
                content: "A new aging report",
                trigger: ".o_list_view .o_list_button_add",
                run: "click",
            },
            {
                content: "Compute it as of today",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_compute']:contains('Compute')",
                run: "click",
            },
            {
                content: "The aging is computed",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Computed')",
            },
            {
                content: "Open its items",
                trigger: ".o_form_view button[name='action_open_lines']",
                run: "click",
            },
            {
                content: "The items by customer and bucket",
                trigger: `.o_pivot .o_pivot_header_cell_closed:contains('${CUSTOMER}')`,
            },
            {
                content: "The items one by one",
                trigger: ".o_switch_view.o_list",
                run: "click",
            },
            {
                content: "The customer's invoice is open in the aging",
                trigger: `.o_list_view .o_data_row:contains('${CUSTOMER}')`,
            },
            ...openMenu("account.menu_finance_receivables", "ctrl_receivable.menu_ctrl_provision_prepare"),
            {
                content: "Prepare last month's run",
                trigger: ".modal button[name='action_prepare']",
                run: "click",
            },
            {
                content: "The run is prepared",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Draft')",
            },
            {
                content: "Compute it",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_compute']",
                run: "click",
            },
            {
                content: "Submit it for posting",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_submit']",
                run: "click",
            },
            {
                content: "The run waits for approval",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('To approve')",
            },
        ]),
});

registry.category("web_tour.tours").add("ctrl_receivable_provision_post_tour", {
    steps: () =>
        ctrlTourSteps([
            ...stepUtils.goToAppSteps("account.menu_finance", "Open Invoicing"),
            ...openMenu("account.menu_finance_receivables", "ctrl_receivable.menu_ctrl_provision_runs"),
            {
                content: "Open the run waiting for approval",
                trigger: ".o_list_view .o_data_row:contains('To approve') td.o_data_cell",
                run: "click",
            },
            {
                content: "Approve and post it",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_approve']",
                run: "click",
            },
            {
                content: "The run is posted",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Posted')",
            },
            {
                content: "Open its journal entry",
                trigger: ".o_form_view .o_field_widget[name='move_id'] a",
                run: "click",
            },
            {
                content: "The journal entry is posted",
                trigger: ".o_form_view:has(.o_field_widget[name='line_ids']) .o_arrow_button_current:contains('Posted')",
            },
            {
                content: "Its lines charge the bad-debt expense against the allowance",
                trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains('Allowance for doubtful accounts')",
            },
        ]),
});
