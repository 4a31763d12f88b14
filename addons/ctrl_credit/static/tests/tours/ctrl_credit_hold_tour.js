/** @odoo-module **/
// A salesperson opens a held quotation, sees the credit banner and asks for the hold's release.
import { registry } from "@web/core/registry";
import { ctrlTourSteps } from "@ctrl_base/../tests/tours/ctrl_tour_utils";

registry.category("web_tour.tours").add("ctrl_credit_hold_tour", {
    steps: () =>
        ctrlTourSteps([
            {
                content: "The banner shows the hold",
                trigger: ".alert-danger:contains('Over credit limit')",
            },
            {
                content: "Request approval from the banner",
                trigger: ".alert-danger button[name='action_ctrl_credit_request_override']",
                run: "click",
            },
            {
                content: "Give the reason",
                trigger: ".modal textarea",
                run: "edit Season order, paid on time last year",
            },
            {
                content: "Send the request",
                trigger: ".modal button[name='action_confirm']",
                run: "click",
            },
            {
                content: "The approval request is open and pending",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Pending')",
            },
        ]),
});
