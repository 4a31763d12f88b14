/** @odoo-module **/
// A collection ladder to a promise to pay: the salesperson opens an invoice the ladder reached from the
// collection menu, records the customer's promise to pay in the promise dialog and sees it on the invoice.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { ctrlTourSteps, openMenu } from "@ctrl_base/../tests/tours/ctrl_tour_utils";

const CUSTOMER = "Lakeside Builders";

registry.category("web_tour.tours").add("ctrl_receivable_promise_tour", {
    steps: () =>
        ctrlTourSteps([
            ...stepUtils.goToAppSteps("account.menu_finance", "Open Invoicing"),
            ...openMenu("account.menu_finance_receivables", "ctrl_receivable.menu_ctrl_collection_invoices"),
            {
                content: "Open the customer's overdue invoice",
                trigger: `.o_list_view .o_data_row:contains('${CUSTOMER}') td.o_data_cell`,
                run: "click",
            },
            {
                content: "The collection tab shows the level the ladder reached",
                trigger: ".o_form_view .o_notebook a[name='ctrl_collection']",
                run: "click",
            },
            {
                content: "The level is shown",
                trigger: ".o_form_view .o_field_widget[name='ctrl_recv_level_id']:not(:empty)",
            },
            {
                content: "Record a promise to pay",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_ctrl_recv_promise']",
                run: "click",
            },
            {
                content: "The promised date is filled in",
                trigger: ".modal .o_field_widget[name='date'] input",
                run() {
                    if (!this.anchor.value) {
                        throw new Error("the promise dialog has no promised date");
                    }
                },
            },
            {
                content: "The customer pays part of it",
                trigger: ".modal .o_field_widget[name='amount'] input",
                run: "edit 600",
            },
            {
                content: "Why it is late",
                trigger: ".modal .o_field_widget[name='reason'] textarea",
                run: "edit Pays once the site project reaches its milestone",
            },
            {
                content: "Save the promise",
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                content: "The invoice shows the pending promise",
                trigger: ".o_form_view .o_field_widget[name='ctrl_recv_promise_ids'] .o_data_row:contains('Pays once the site project'):contains('Pending')",
            },
        ]),
});
