/** @odoo-module **/
// A backup operator runs a backup from the plan and keeps working: the button queues the run and says so at
// once; once it has run in the background, the plan shows it done and its log holds the file's checksum.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { ctrlTourSteps, openMenu } from "@ctrl_base/../tests/tours/ctrl_tour_utils";

const PLAN = "Nightly ERP";

function openPlan() {
    return [
        ...stepUtils.goToAppSteps("maintenance.menu_maintenance_title", "Open Maintenance"),
        ...openMenu("ctrl_backup.menu_ctrl_backup_root", "ctrl_backup.menu_ctrl_backup_plan"),
        {
            content: "Open the plan",
            trigger: `.o_list_view .o_data_row td:contains('${PLAN}')`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("ctrl_backup_run_queue_tour", {
    steps: () =>
        ctrlTourSteps([
            ...openPlan(),
            {
                content: "Run the backup",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_run_backup']",
                run: "click",
            },
            {
                content: "Told at once that it runs in the background",
                trigger: `.o_notification:contains('The backup of plan ${PLAN} runs in the background')`,
            },
            {
                content: "The plan shows the run waiting, and no second run is offered",
                trigger: ".o_form_view [name='run_state']:contains('Waiting')",
                run() {
                    if (document.querySelector(".o_form_view button[name='action_run_backup']")) {
                        throw new Error("Run Backup is still offered while the run waits");
                    }
                },
            },
            {
                content: "Keep working: back to the plans",
                trigger: ".o_breadcrumb .o_back_button a",
                run: "click",
            },
            ...openMenu("ctrl_backup.menu_ctrl_backup_root", "ctrl_backup.menu_ctrl_backup_media"),
            {
                content: "The media register opens meanwhile",
                trigger: ".o_breadcrumb :contains('Backup Media')",
            },
        ]),
});

registry.category("web_tour.tours").add("ctrl_backup_run_done_tour", {
    steps: () =>
        ctrlTourSteps([
            ...openPlan(),
            {
                content: "The run is done and finished",
                trigger: ".o_form_view [name='run_state']:contains('Done')",
            },
            {
                content: "Its step says finished",
                trigger: ".o_form_view [name='run_step']:contains('Finished.')",
            },
            {
                content: "Open the run's log",
                trigger: ".o_form_view [name='run_log_id'] a",
                run: "click",
            },
            {
                content: "The log is done",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')",
            },
            {
                content: "The log holds the backup's size and checksum",
                trigger: ".o_form_view [name='sha256']",
                run() {
                    const sha = document.querySelector(".o_form_view [name='sha256']");
                    if (!sha || !/^[0-9a-f]{64}$/.test(sha.innerText.trim())) {
                        throw new Error(`the log shows no SHA-256 of the backup: ${sha && sha.innerText}`);
                    }
                    const size = document.querySelector(".o_form_view [name='size']");
                    if (!size || !/[1-9]/.test(size.innerText)) {
                        throw new Error(`the log shows no size: ${size && size.innerText}`);
                    }
                },
            },
        ]),
});

// The plan's checker, with only the backup staff's group, opens the done log and verifies it.
registry.category("web_tour.tours").add("ctrl_backup_run_verify_tour", {
    steps: () =>
        ctrlTourSteps([
            ...stepUtils.goToAppSteps("maintenance.menu_maintenance_title", "Open Maintenance"),
            ...openMenu("ctrl_backup.menu_ctrl_backup_root", "ctrl_backup.menu_ctrl_backup_log"),
            {
                content: "Open the plan's done log",
                trigger: `.o_list_view .o_data_row:contains('${PLAN}'):contains('Done') td.o_data_cell`,
                run: "click",
            },
            {
                content: "The log is done and not verified yet",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')",
            },
            {
                content: "Verify it",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_verify']",
                run: "click",
            },
            {
                content: "The log names its checker",
                trigger: ".o_form_view [name='checked_by_id']:contains('Wang Fang')",
            },
            {
                content: "It is verified: Verify is no longer offered",
                trigger: ".o_form_view [name='checked_on']:not(:empty)",
                run() {
                    if (document.querySelector(".o_form_view button[name='action_verify']")) {
                        throw new Error("Verify is still offered on a verified log");
                    }
                },
            },
        ]),
});
