/** @odoo-module **/
// A 6S audit to a corrective action to the rankings, on a desktop, each person with their role's groups:
// the inspector answers today's audit (OK, Not OK with a note and a photo, N/A with a reason) and signs it
// off; the area's owner records what was done on the corrective action the finding opened; the inspector
// verifies it and reads the month's rankings. Every screen is checked (ctrl_tour_utils): an error or a
// technical name fails the tour.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { ctrlTourSteps, openMenu } from "@ctrl_base/../tests/tours/ctrl_tour_utils";

const AREA = "Paint line";
const NOTE = "Pallets in front of the fire exit";
const DONE = "Pallets moved to the store; the exit is marked on the floor";
// The photo the inspector takes: a box left in an aisle.
const PHOTO_URL = "/ctrl_sixs/static/img/demo_finding.png";

const row = (item) => `.o_field_widget[name='line_ids'] .o_data_row:contains('${item}')`;

/** Answer the item's row with the radio button of ``value`` (ok, nok, na). */
function answer(item, value, label) {
    return [
        {
            content: `${item}: edit its row`,
            trigger: `${row(item)} td[name='item_id']`,
            run: "click",
        },
        {
            content: `${item}: ${label}`,
            trigger: `${row(item)}.o_selected_row .o_field_widget[name='result'] input[data-value='${value}']`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("ctrl_sixs_audit_finding_tour", {
    steps: () =>
        ctrlTourSteps([
            {
                content: "Today's audits: open the paint line's",
                trigger: `.o_kanban_view .o_kanban_record:contains('${AREA}')`,
                run: "click",
            },
            {
                content: "The audit lists its check items",
                trigger: `${row("Aisles clear")}`,
            },
            ...answer("Aisles clear", "ok", "OK"),
            ...answer("Fire exits clear", "nok", "Not OK"),
            {
                content: "Say what was found",
                trigger: `${row("Fire exits clear")} .o_field_widget[name='note'] input`,
                run: `edit ${NOTE}`,
            },
            {
                content: "Take the photo",
                trigger: `${row("Fire exits clear")} .o_field_widget[name='photo']`,
                async run() {
                    const input = document.querySelector(
                        ".o_data_row.o_selected_row .o_field_widget[name='photo'] input[type='file']"
                    );
                    const blob = await (await fetch(PHOTO_URL)).blob();
                    const transfer = new DataTransfer();
                    transfer.items.add(new File([blob], "finding.png", { type: "image/png" }));
                    input.files = transfer.files;
                    input.dispatchEvent(new Event("change", { bubbles: true }));
                },
            },
            {
                content: "The photo is on the finding",
                trigger: `${row("Fire exits clear")} .o_field_widget[name='photo'] img[src*='data:image'], ${row(
                    "Fire exits clear"
                )} .o_field_widget[name='photo'] img[src*='photo']`,
            },
            ...answer("Tool board labels", "na", "N/A"),
            {
                content: "Say why it does not apply",
                trigger: `${row("Tool board labels")} .o_field_widget[name='na_reason'] input`,
                run: "edit No tool board on the paint line yet",
            },
            {
                content: "Sign the audit off",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_done']",
                run: "click",
            },
            {
                content: "The audit is signed off: its items are read-only",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            },
            ...openMenu("ctrl_sixs.menu_ctrl_sixs_audits_top", "ctrl_sixs.menu_ctrl_sixs_actions"),
            {
                content: "The finding opened a corrective action",
                trigger: `.o_list_view .o_data_row:contains('${AREA}'):contains('Fire exits clear') td[name='area_id']`,
                run: "click",
            },
            {
                content: "It says what was found",
                trigger: `.o_form_view .o_field_widget[name='description'] textarea:value('${NOTE}')`,
            },
        ]),
});

registry.category("web_tour.tours").add("ctrl_sixs_action_done_tour", {
    steps: () =>
        ctrlTourSteps([
            ...stepUtils.goToAppSteps("ctrl_sixs.menu_ctrl_sixs_root", "Open 6S"),
            ...openMenu("ctrl_sixs.menu_ctrl_sixs_audits_top", "ctrl_sixs.menu_ctrl_sixs_actions"),
            {
                content: "The owner's open corrective action",
                trigger: `.o_list_view .o_data_row:contains('${AREA}'):contains('Fire exits clear') td[name='area_id']`,
                run: "click",
            },
            {
                content: "Say what was done",
                trigger: ".o_form_view .o_field_widget[name='done_note'] textarea",
                run: `edit ${DONE}`,
            },
            {
                content: "Mark it done",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_mark_done']",
                run: "click",
            },
            {
                content: "It waits for the inspector's verification",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done, to verify')",
            },
        ]),
});

registry.category("web_tour.tours").add("ctrl_sixs_action_verify_tour", {
    steps: () =>
        ctrlTourSteps([
            ...stepUtils.goToAppSteps("ctrl_sixs.menu_ctrl_sixs_root", "Open 6S"),
            ...openMenu("ctrl_sixs.menu_ctrl_sixs_audits_top", "ctrl_sixs.menu_ctrl_sixs_actions"),
            {
                content: "The corrective action to verify",
                trigger: `.o_list_view .o_data_row:contains('${AREA}'):contains('Done, to verify') td[name='area_id']`,
                run: "click",
            },
            {
                content: "The owner said what was done",
                trigger: `.o_form_view .o_field_widget[name='done_note'] textarea:value('${DONE}')`,
            },
            {
                content: "Verified on site",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_verify_pass']",
                run: "click",
            },
            {
                content: "The action is verified",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Verified')",
            },
            ...openMenu("ctrl_sixs.menu_ctrl_sixs_results", "ctrl_sixs.menu_ctrl_sixs_rankings"),
            {
                content: "The month's rankings, by scope: open the areas",
                trigger: ".o_list_view .o_group_header:contains('Area')",
                run: "click",
            },
            {
                content: "The paint line is ranked, with the points its finding cost",
                trigger: `.o_list_view .o_data_row:contains('${AREA}')`,
            },
        ]),
});
