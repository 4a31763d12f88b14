/** @odoo-module **/
// What every ctrl tour checks on each screen its user reaches: no error and no technical name.
//
// Odoo's tour runner fails a tour on a console error or a step that times out. A server error (access
// error, user error) is shown in a dialog and logged on no console: the runner only notices it when a
// later step must click below it. So each screen is checked here as soon as a step has found it.

// Technical names: ctrl's own (ctrl.backup.location, _ctrl_escalation_collection), field and key names
// (hold_release, invoice_date_due), and the "model,id" display names of records without a name.
const TECHNICAL_NAMES = [
    /\bctrl[._][a-z_.]+|_ctrl_/,
    /\b[a-z]+_[a-z]+(?:_[a-z]+)*\b/,
    /\b[a-z]+\.[a-z_.]+,\s?\d+\b/,
];
// What a user reads: the main content, the dialogs and the notifications.
const SCREEN = ".o_action_manager, .o_dialog:not(:has(.o_error_dialog)), .o_notification_manager";
const ERRORS = ".o_error_dialog, .o_notification:has(.o_notification_bar.bg-danger), .o_notification.bg-danger";

function isVisible(el) {
    return Boolean(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
}

/** The text a user reads on screen: visible text, and the values of the visible inputs. */
export function screenText() {
    const parts = [];
    for (const area of document.querySelectorAll(SCREEN)) {
        parts.push(area.innerText);
        for (const input of area.querySelectorAll("input, textarea")) {
            if (isVisible(input) && !["hidden", "password", "checkbox", "radio"].includes(input.type)) {
                parts.push(input.value);
            }
        }
    }
    return parts.join("\n");
}

/** What is wrong on the current screen, in plain words (empty when all is well). */
export function screenProblems() {
    const problems = [];
    for (const error of document.querySelectorAll(ERRORS)) {
        problems.push(`an error is shown: ${error.innerText.trim().slice(0, 500)}`);
    }
    const text = screenText();
    for (const pattern of TECHNICAL_NAMES) {
        const match = text.match(pattern);
        if (match) {
            const start = Math.max(match.index - 60, 0);
            problems.push(`a technical name "${match[0]}" is shown: ...${text.slice(start, match.index + 60)}...`);
        }
    }
    for (const title of document.querySelectorAll(".o_dialog .modal-title")) {
        if (["Odoo", ""].includes(title.innerText.trim())) {
            problems.push(`a dialog has no title of its own ("${title.innerText.trim()}")`);
        }
    }
    for (const crumb of document.querySelectorAll(".o_breadcrumb .active, .o_last_breadcrumb_item")) {
        if (crumb.innerText.trim() === "/") {
            problems.push('a record is titled "/"');
        }
    }
    return problems;
}

export function assertCleanScreen(where = "") {
    const problems = screenProblems();
    if (problems.length) {
        throw new Error(`${where ? where + ": " : ""}${problems.join("\n")}`);
    }
}

/**
 * The steps of a ctrl tour, each screen checked: before a step acts, the screen it found is checked
 * (an error or a technical name fails the tour); after a step that only looks, the screen it waited
 * for is checked. The tour ends with a check of the last screen.
 */
export function ctrlTourSteps(steps) {
    const checked = [];
    for (const step of steps) {
        const check = {
            content: `${step.content}: no error, no technical name`,
            trigger: step.trigger,
            isActive: step.isActive,
            run: () => assertCleanScreen(step.content),
        };
        if (step.run) {
            checked.push(check, step);
        } else {
            checked.push(step, { ...check, trigger: "body" });
        }
    }
    return checked;
}

/** Open a menu item of the current app: its section in the top bar, then the item. */
export function openMenu(section, item) {
    return [
        {
            content: "Open the menu section",
            trigger: `.o_menu_sections [data-menu-xmlid='${section}']`,
            run: "click",
        },
        {
            content: "Choose the menu item",
            trigger: `.dropdown-item[data-menu-xmlid='${item}']`,
            run: "click",
        },
    ];
}
