# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

MEDIA_STATES = [
    ("in_store", "In store"), ("on_loan", "On loan"), ("damaged", "Damaged"), ("expired", "Expired"),
    ("wiped", "Wiped"), ("destroyed", "Destroyed"),
]
# The media's workflow fields: set only by the loan, destruction, damage report and expiry transitions
# (as superuser, after their checks), never by a client's create or write. Native fields are not guarded.
WORKFLOW_FIELDS = {"ctrl_media_state", "ctrl_media_number", "ctrl_inspection_id"}


class MaintenanceEquipmentCategory(models.Model):
    _inherit = "maintenance.equipment.category"

    ctrl_backup_media = fields.Boolean(
        "Backup media", help="Equipment of this category is registered as backup media.")


class MaintenanceEquipment(models.Model):
    _name = "maintenance.equipment"
    _inherit = ["maintenance.equipment", "ctrl.escalation.mixin"]

    ctrl_is_media = fields.Boolean(related="category_id.ctrl_backup_media", store=True, string="Is backup media")
    ctrl_media_number = fields.Char("Media number", readonly=True, copy=False, index=True)
    ctrl_media_type = fields.Selection(
        [("disk", "Hard disk"), ("optical", "Optical disc"), ("tape", "Tape"), ("usb", "Removable disk")],
        string="Media type", default="disk",
    )
    # Seed 000 B07-10: media carry their classification label.
    ctrl_classification = fields.Selection(
        [("internal", "Internal"), ("confidential", "Confidential"), ("secret", "Secret")],
        string="Classification", default="internal", help="Classification label of the medium.",
    )
    ctrl_content = fields.Char("Backup content")
    ctrl_plan_id = fields.Many2one("ctrl.backup.plan", string="Backup plan")
    ctrl_backup_datetime = fields.Datetime("Backed up on")
    ctrl_first_use_date = fields.Date("First used on", tracking=True)
    ctrl_retention_until = fields.Date("Keep until", tracking=True, help="Retention: the data must be kept until.")
    ctrl_expiry_date = fields.Date(
        "Media expiry", compute="_compute_ctrl_expiry_date", store=True, readonly=False, tracking=True,
        help="First use plus the media life (3 years by default); transfer the data before.",
    )
    ctrl_site = fields.Selection([("onsite", "On-site"), ("offsite", "Off-site")], string="Site", default="onsite",
                                 tracking=True)
    ctrl_location_id = fields.Many2one("ctrl.backup.location", string="Cabinet", tracking=True)
    ctrl_media_state = fields.Selection(MEDIA_STATES, string="Media state", default="in_store", tracking=True,
                                        copy=False)
    ctrl_loan_ids = fields.One2many("ctrl.backup.loan", "media_id", string="Loans")
    ctrl_destruction_ids = fields.One2many("ctrl.backup.destruction", "media_id", string="Destructions")
    ctrl_inspection_id = fields.Many2one("maintenance.request", string="Inspection", readonly=True, copy=False)

    _sql_constraints = [
        ("ctrl_media_number_uniq", "unique(ctrl_media_number, company_id)", "A media number is unique."),
    ]

    @api.depends("ctrl_first_use_date")
    def _compute_ctrl_expiry_date(self):
        years = int(self.env["ir.config_parameter"].sudo().get_param("ctrl_backup.media_life_years", 3))
        for media in self:
            media.ctrl_expiry_date = media.ctrl_first_use_date + relativedelta(years=years) \
                if media.ctrl_first_use_date and years > 0 else False

    def _compute_match_serial(self):
        # Odoo looks the serial number up in the lots as the reader. Stock comes with ctrl_credit, so a backup
        # operator or an employee without inventory rights could not open any equipment: they get no lot button.
        if "stock.lot" in self.env and not self.env["stock.lot"].has_access("read"):
            self.match_serial = False
            return
        super()._compute_match_serial()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                forced = {name for name in WORKFLOW_FIELDS if vals.get(name)}
                if vals.get("ctrl_media_state") == "in_store":
                    forced.discard("ctrl_media_state")
                if forced:
                    raise AccessError(self._ctrl_workflow_fields_message(forced))
        records = super().create(vals_list)
        for media in records.filtered("ctrl_is_media"):
            if not media.ctrl_media_number:
                media.sudo().ctrl_media_number = self.env["ir.sequence"].next_by_code("ctrl.backup.media") or "/"
        records.filtered("ctrl_is_media")._ctrl_schedule_inspection()
        return records

    def _ctrl_workflow_fields_message(self, names):
        labels = ", ".join(f"'{self._fields[name]._description_string(self.env)}'" for name in sorted(names))
        return _("%(fields)s of a backup medium is set by its loans, destructions and the Report damage button, "
                 "not by hand.", fields=labels)

    def write(self, vals):
        if not self.env.su and WORKFLOW_FIELDS & set(vals):
            raise AccessError(self._ctrl_workflow_fields_message(WORKFLOW_FIELDS & set(vals)))
        new_state = vals.get("ctrl_media_state")
        damaged = self.filtered(lambda m: m.ctrl_media_state != "damaged") if new_state == "damaged" else self.browse()
        result = super().write(vals)
        if "category_id" in vals:
            fresh = self.filtered(lambda m: m.ctrl_is_media and not m.ctrl_media_number)
            for media in fresh:
                media.sudo().ctrl_media_number = self.env["ir.sequence"].next_by_code("ctrl.backup.media") or "/"
            fresh._ctrl_schedule_inspection()
        if damaged:
            damaged._ctrl_on_damaged()
        return result

    def action_ctrl_report_damaged(self):
        """Backup staff report a damaged medium: it is replaced and a destruction request is opened."""
        if not self.env.user.has_group("ctrl_backup.group_backup_operator"):
            raise AccessError(_("Only backup staff report a damaged medium."))
        for media in self:
            if not media.ctrl_is_media or media.ctrl_media_state not in ("in_store", "expired"):
                raise UserError(_("%s: only a backup medium in store (or expired) can be reported damaged; a lent "
                                  "medium is checked at its return.", media.display_name))
        self.sudo().write({"ctrl_media_state": "damaged"})
        return True

    def _compute_display_name(self):
        result = super()._compute_display_name()
        for media in self.filtered("ctrl_media_number"):
            media.display_name = "[%s] %s" % (media.ctrl_media_number, media.display_name)
        return result

    # ------------------------------------------------------------------ inspection
    def _ctrl_schedule_inspection(self):
        """A recurring preventive maintenance request: the half-yearly inspection (seed 000 B01-13)."""
        days = int(self.env["ir.config_parameter"].sudo().get_param("ctrl_backup.inspection_days", 180))
        for media in self.filtered(lambda m: m.ctrl_is_media and not m.ctrl_inspection_id):
            start = fields.Datetime.now() + relativedelta(days=days)
            request = self.env["maintenance.request"].sudo().create({
                "name": _("Inspect backup medium %s", media.ctrl_media_number),
                "equipment_id": media.id,
                "maintenance_type": "preventive",
                "recurring_maintenance": True,
                "repeat_interval": days,
                "repeat_unit": "day",
                "repeat_type": "forever",
                "schedule_date": start,
                "company_id": media.company_id.id or self.env.company.id,
                "description": _("Check that the medium still works and its content is correct; inspect its "
                                 "cabinet's protections (fire, water, damp, magnetism, theft, rodents)."),
            })
            media.sudo().ctrl_inspection_id = request

    # ------------------------------------------------------------------ damage, expiry
    def _ctrl_on_damaged(self):
        """Seed 000 B01-13: a damaged medium is replaced at once and destroyed."""
        for media in self:
            self.env["maintenance.request"].sudo().create({
                "name": _("Replace damaged backup medium %s", media.ctrl_media_number),
                "equipment_id": media.id,
                "maintenance_type": "corrective",
                "company_id": media.company_id.id or self.env.company.id,
                "description": _("Copy the data of %(media)s to a new medium and register it.",
                                 media=media.display_name),
            })
            if not media.ctrl_destruction_ids.filtered(lambda d: d.state not in ("done", "cancel")):
                self.env["ctrl.backup.destruction"].sudo().create({
                    "media_id": media.id, "reason": "damaged", "operation": "destroy",
                })
            media.message_post(body=_("Damaged: a replacement request and a destruction request were opened."))

    def _ctrl_escalation_expire(self, level):
        """Ladder callback on the expiry day: the medium is marked expired."""
        media = self.filtered(lambda m: m.ctrl_media_state in ("in_store", "on_loan"))
        media.sudo().write({"ctrl_media_state": "expired"})

    # ------------------------------------------------------------------ export
    def action_ctrl_media_label(self):
        return self.env.ref("ctrl_backup.action_report_media_label").report_action(self)
