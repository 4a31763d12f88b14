/** @odoo-module **/
// A salesman's held order to an approved release: the salesman asks for the release from the order's
// banner, each approver of the release approves it from Internal Control, the salesman confirms the order.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { ctrlTourSteps } from "@ctrl_base/../tests/tours/ctrl_tour_utils";

const CUSTOMER = "Ready Mat Trading";

function openHeldOrder() {
    return [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open Sales"),
        {
            content: "Open the customer's quotation",
            trigger: `.o_list_view .o_data_row td:contains('${CUSTOMER}')`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("ctrl_credit_release_request_tour", {
    steps: () =>
        ctrlTourSteps([
            ...openHeldOrder(),
            {
                content: "One banner names the hold and its note",
                trigger: ".o_form_view .alert-danger:contains('Cheque returned unpaid')",
                run() {
                    const banners = [...document.querySelectorAll(".o_form_view .o_form_sheet_bg [role='alert']")]
                        .filter((el) => el.offsetParent && el.innerText.trim());
                    if (banners.length !== 1 || !banners[0].innerText.includes("Manual hold")) {
                        throw new Error(`expected one banner naming the manual hold, got: ${
                            banners.map((el) => el.innerText).join(" | ")}`);
                    }
                },
            },
            {
                content: "Request approval from the banner",
                trigger: ".o_form_view .alert-danger button[name='action_ctrl_credit_request_override']",
                run: "click",
            },
            {
                content: "Give the reason",
                trigger: ".modal textarea",
                run: "edit The cheque was replaced by a bank transfer received today",
            },
            {
                content: "Send the request",
                trigger: ".modal button[name='action_confirm']",
                run: "click",
            },
            {
                content: "The release request is open and pending",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Pending')",
            },
            {
                content: "Back to the order",
                trigger: ".o_breadcrumb .o_back_button a",
                run: "click",
            },
            {
                content: "The banner says the release is requested and whom it waits for",
                trigger: ".o_form_view .alert-warning:contains('Release requested by'):contains('Sales manager')",
                run() {
                    if (document.querySelector(".o_form_view .o_statusbar_buttons button[name='action_confirm']")) {
                        throw new Error("Confirm is offered while the release waits for approval");
                    }
                    if (document.querySelector(".o_form_view .alert-danger:not(.d-none)")) {
                        throw new Error("the hold is shown twice: as held and as requested");
                    }
                },
            },
        ]),
});

registry.category("web_tour.tours").add("ctrl_credit_release_approve_tour", {
    steps: () =>
        ctrlTourSteps([
            ...stepUtils.goToAppSteps("ctrl_base.menu_ctrl_root", "Open Internal Control"),
            {
                content: "Open the release waiting for me",
                trigger: `.o_list_view .o_data_row td:contains('${CUSTOMER}')`,
                run: "click",
            },
            {
                content: "Approve it",
                trigger: ".o_form_view button[name='action_open_approve']",
                run: "click",
            },
            {
                content: "Comment",
                trigger: ".modal textarea",
                run: "edit Transfer seen on the bank statement",
            },
            {
                content: "Confirm the decision",
                trigger: ".modal button[name='action_confirm']",
                run: "click",
            },
            {
                content: "My approval is recorded on the request",
                trigger: ".o_field_widget[name='step_ids'] .o_data_row:contains('Transfer seen on the bank statement')",
            },
        ]),
});

registry.category("web_tour.tours").add("ctrl_credit_release_confirm_tour", {
    steps: () =>
        ctrlTourSteps([
            ...openHeldOrder(),
            {
                content: "No banner: the hold is released",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
                run() {
                    const banners = [...document.querySelectorAll(".o_form_view .o_form_sheet_bg [role='alert']")]
                        .filter((el) => el.offsetParent && el.innerText.trim());
                    if (banners.length) {
                        throw new Error(`a banner is still shown: ${banners.map((el) => el.innerText).join(" | ")}`);
                    }
                },
            },
            {
                content: "Confirm the order",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
                run: "click",
            },
            {
                content: "The order is confirmed",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Sales Order')",
            },
        ]),
});
