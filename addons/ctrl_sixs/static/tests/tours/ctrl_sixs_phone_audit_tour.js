/** @odoo-module **/
// A 6S inspector on a phone: today's audit one card per item, OK / Not OK with a photo / N/A with a reason,
// the sign-off, the finding's corrective action, then the rankings. Fails on an error dialog or a
// technical name on screen.
import { registry } from "@web/core/registry";

// Technical names a user must never read: model names, ctrl's xml ids and private names, "model,id" display
// names.
const TECHNICAL_NAME = /\bctrl\.[a-z_.]+|\bctrl_[a-z]+\.[a-z_.]+|_ctrl_|\b[a-z]+\.[a-z.]+,\d+\b/;
// The photo the phone's camera takes: a box left in an aisle.
const PHOTO_URL = "/ctrl_sixs/static/img/demo_finding.png";

function plainScreen(where) {
    return {
        content: `${where}: no error and no technical name on screen`,
        // "body" first: the check also runs while a dialog is open.
        trigger: "body .o_action_manager .o_view_controller",
        run() {
            if (document.querySelector(".o_error_dialog")) {
                throw new Error(`${where}: an error dialog is open`);
            }
            const found = document.body.innerText.match(TECHNICAL_NAME);
            if (found) {
                throw new Error(`${where}: a technical name is on screen: "${found[0]}"`);
            }
        },
    };
}

const card = (item) => `.o_field_widget[name='line_ids'] .o_kanban_record:contains('${item}')`;

registry.category("web_tour.tours").add("ctrl_sixs_phone_audit_tour", {
    url: "/odoo/action-ctrl_sixs.ctrl_sixs_audit_action",
    steps: () => [
        {
            content: "Open today's audit of the paint line",
            trigger: ".o_kanban_view .o_kanban_record:contains('Paint line')",
            run: "click",
        },
        {
            content: "The items come one per card",
            trigger: `${card("Aisles clear")} button[name='action_answer_ok']`,
        },
        plainScreen("The audit"),
        {
            content: "Aisles clear: OK",
            trigger: `${card("Aisles clear")} button[name='action_answer_ok']`,
            run: "click",
        },
        {
            content: "The card says OK",
            trigger: `${card("Aisles clear")} .badge:contains('OK')`,
        },
        {
            content: "Fire exits clear: Not OK",
            trigger: `${card("Fire exits clear")} button[name='action_answer_nok']`,
            run: "click",
        },
        {
            content: "The dialog asks for a photo",
            trigger: ".modal .o_field_widget[name='photo'] .o_ctrl_sixs_take_photo",
        },
        plainScreen("The Not OK dialog"),
        {
            content: "Take the photo",
            trigger: ".modal .o_field_widget[name='photo'] .o_ctrl_sixs_take_photo",
            async run() {
                const input = document.querySelector(".modal .o_field_widget[name='photo'] input[type='file']");
                if (input.getAttribute("capture") !== "environment") {
                    throw new Error("The photo input does not ask for the camera");
                }
                const blob = await (await fetch(PHOTO_URL)).blob();
                const transfer = new DataTransfer();
                transfer.items.add(new File([blob], "finding.png", { type: "image/png" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The photo is on the finding",
            trigger: ".modal .o_field_widget[name='photo'] img",
        },
        {
            content: "Say what was found",
            trigger: ".modal .o_field_widget[name='note'] input",
            run: "edit Pallets in front of the fire exit",
        },
        {
            content: "Save the answer",
            trigger: ".modal button[name='action_save_nok']",
            run: "click",
        },
        {
            content: "The card says Not OK and shows the photo",
            trigger: `${card("Fire exits clear")} .badge:contains('Not OK')`,
        },
        {
            content: "The photo is on the card",
            trigger: `${card("Fire exits clear")} .o_field_widget[name='photo'] img`,
        },
        {
            content: "Tool board labels: N/A",
            trigger: `${card("Tool board labels")} button[name='action_answer_na']`,
            run: "click",
        },
        {
            content: "Say why it does not apply",
            trigger: ".modal .o_field_widget[name='na_reason'] input",
            run: "edit No tool board on the paint line yet",
        },
        {
            content: "Save the answer",
            trigger: ".modal button[name='action_save_na']",
            run: "click",
        },
        {
            content: "The card says N/A with the reason",
            trigger: `${card("Tool board labels")}:contains('No tool board on the paint line yet') .badge:contains('N/A')`,
        },
        plainScreen("The answered audit"),
        {
            content: "Sign the audit off",
            trigger: ".o_form_sheet button[name='action_done']",
            run: "click",
        },
        {
            content: "Signed off: the answer buttons are gone, the finding leads to its corrective action",
            trigger: `${card("Fire exits clear")} button[name='action_open_corrective_action']`,
        },
        {
            content: "No more answers once signed",
            trigger: `.o_field_widget[name='line_ids']:not(:has(button[name='action_answer_ok']))`,
        },
        plainScreen("The signed audit"),
        {
            content: "Follow the finding to its corrective action",
            trigger: `${card("Fire exits clear")} button[name='action_open_corrective_action']`,
            run: "click",
        },
        {
            content: "The corrective action says what was found",
            trigger: ".o_form_view .o_field_widget[name='description'] textarea:value('Pallets in front of the fire exit')",
        },
        {
            content: "The finding's photo is the before photo",
            trigger: ".o_form_view .o_field_widget[name='before_image'] img[src*='before_image']",
        },
        plainScreen("The corrective action"),
        {
            content: "Open the menu",
            trigger: ".o_main_navbar .o_menu_toggle",
            run: "click",
        },
        {
            content: "Open the rankings",
            trigger: ".o_app_menu_sidebar [data-menu-xmlid='ctrl_sixs.menu_ctrl_sixs_rankings']",
            run: "click",
        },
        {
            content: "The month's ranking of the areas",
            trigger: ".o_kanban_view .o_kanban_record:contains('Zone 1')",
        },
        plainScreen("The rankings"),
    ],
});
