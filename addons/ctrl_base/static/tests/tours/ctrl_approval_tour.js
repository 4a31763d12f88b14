/** @odoo-module **/
// An approver finds the request waiting for them and approves it.
import { registry } from "@web/core/registry";
import { ctrlTourSteps } from "@ctrl_base/../tests/tours/ctrl_tour_utils";

registry.category("web_tour.tours").add("ctrl_approval_tour", {
    url: "/odoo/action-ctrl_base.ctrl_approval_request_action_to_decide",
    steps: () =>
        ctrlTourSteps([
            {
                content: "Open the request waiting for me",
                trigger: ".o_data_row td:contains('Tour deal')",
                run: "click",
            },
            {
                content: "Approve it",
                trigger: "button[name='action_open_approve']",
                run: "click",
            },
            {
                content: "Comment",
                trigger: ".modal textarea",
                run: "edit Checked the figures",
            },
            {
                content: "Confirm the decision",
                trigger: ".modal button[name='action_confirm']",
                run: "click",
            },
            {
                content: "The request is approved",
                trigger: ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
            },
        ]),
});
