/** @odoo-module **/
// A photo taken on the spot: the image field, with a big "Take a photo" button while it is empty and a file
// input that asks a phone for its rear camera (capture="environment"; desktops ignore it and offer a file).
import { useEffect, useRef } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { ImageField, imageField } from "@web/views/fields/image/image_field";

export class CameraImageField extends ImageField {
    static template = "ctrl_sixs.CameraImageField";

    setup() {
        super.setup();
        this.cameraRoot = useRef("cameraRoot");
        useEffect(() => {
            for (const input of this.cameraRoot.el?.querySelectorAll("input[type=file]") || []) {
                input.setAttribute("capture", "environment");
            }
        });
    }
}

registry.category("fields").add("ctrl_sixs_camera_image", { ...imageField, component: CameraImageField });
