# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An off-site target for the second copy of a plan's backups (seed 000 B09-05 two copies, B06-09 encrypted).

The target is an rclone back-end (SFTP, S3, WebDAV, ...) configured through rclone's environment variables, never
on a command line. Its credentials are write-only: kept in ctrl.backup.remote.secret, which no user reads, and
never shown back. What is sent is encrypted with age to the recipient's public key; the server holds no private
key."""
import json
import re

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

MANAGER = "ctrl_backup.group_backup_manager"
BACKEND_TYPE = re.compile(r"[a-z][a-z0-9]{1,30}")
OPTION_KEY = re.compile(r"[a-z][a-z0-9_]{0,40}")
PATH_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,100}")
AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")
# Options that would run a program on the server, or that are secrets and belong in the credentials.
REFUSED_OPTIONS = {"ssh", "server_command", "md5sum_command", "sha1sum_command", "pass", "password", "key_pem",
                   "key_file", "key_file_pass", "secret_access_key", "session_token", "bearer_token",
                   "bearer_token_command", "client_secret", "token", "env_auth", "config", "shell_type",
                   "path_override"}
# The rclone option each write-only credential sets, by back-end; obscured ones are passed through rclone obscure.
SECRET_OPTION = {"s3": "secret_access_key"}
OBSCURED_PASSWORD = {"sftp", "ftp", "webdav", "smb"}
CREDENTIAL_FIELDS = ("password", "ssh_private_key")
# Changing one of these on a target sends the approved plans that use it back to draft.
TARGET_FIELDS = ("backend_type", "options", "remote_path", "age_recipient", "company_id", "active")


class CtrlBackupRemote(models.Model):
    _name = "ctrl.backup.remote"
    _description = "Off-site backup target"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    backend_type = fields.Char(
        string="Storage type", required=True, default="sftp", tracking=True,
        help="The kind of off-site storage: sftp, s3, webdav, or another storage type the copy tool knows.")
    options = fields.Text(
        string="Connection settings", tracking=True,
        help="One setting per line, as name = value, named as the copy tool (rclone) documents them for the "
        "storage type: e.g. host = backup.example.com, user = odoo and port = 22 for SFTP; the provider, region "
        "and access key ID for S3. Passwords and keys go in the credentials below, which are never shown again.")
    remote_path = fields.Char(
        string="Folder on the target", required=True, tracking=True,
        help="The folder on the off-site storage that receives this company's encrypted backups, e.g. "
        "backups/odoo. Letters, digits, '.', '_' and '-' per level; no level starts with '-' or '.'.")
    age_recipient = fields.Char(
        string="Encryption public key", required=True, tracking=True,
        help="The public key (age1...) the copies are encrypted to. The matching private key stays with the "
        "backup managers, off this server: it is given only for a restore from the off-site copy.")
    password = fields.Char(
        compute="_compute_credentials", inverse="_inverse_password", groups=MANAGER,
        help="The target's password (or the S3 secret access key). Stored for the backup run only; never shown "
        "again. Leave empty to keep the stored one.")
    ssh_private_key = fields.Text(
        string="SSH private key", compute="_compute_credentials", inverse="_inverse_ssh_private_key",
        groups=MANAGER,
        help="For SFTP: the PEM private key the server logs in with. Stored for the backup run only; never shown "
        "again. Leave empty to keep the stored one.")
    has_credentials = fields.Boolean(string="Credentials stored", compute="_compute_has_credentials")
    plan_ids = fields.One2many("ctrl.backup.plan", "offsite_remote_id", string="Plans")

    # ------------------------------------------------------------------ write-only credentials
    def _compute_credentials(self):
        for remote in self:
            remote.password = False
            remote.ssh_private_key = False

    def _inverse_password(self):
        self._store_secret("password", "password")

    def _inverse_ssh_private_key(self):
        self._store_secret("ssh_private_key", "key_pem")

    def _store_secret(self, field, key):
        if not self.env.user.has_group(MANAGER) and not self.env.su:
            raise AccessError(_("Only a backup manager sets the credentials of an off-site target."))
        for remote in self:
            value = remote[field]
            if not value:
                continue  # empty: the stored credential is kept
            secret = remote._secret_record()
            data = secret._values()
            data[key] = value.strip() if key == "key_pem" else value
            secret.write({"value": json.dumps(data)})
            remote._message_log(body=_("%(user)s changed the credentials.", user=self.env.user.name))

    def _secret_record(self):
        self.ensure_one()
        Secret = self.env["ctrl.backup.remote.secret"].sudo()
        return Secret.search([("remote_id", "=", self.id)], limit=1) or Secret.create({"remote_id": self.id})

    def _compute_has_credentials(self):
        found = self.env["ctrl.backup.remote.secret"].sudo().search([("remote_id", "in", self.ids)])
        with_values = found.filtered(lambda secret: secret._values()).remote_id
        for remote in self:
            remote.has_credentials = remote in with_values

    def _secrets(self):
        """The stored credentials, for the backup run only (never returned to a client)."""
        self.ensure_one()
        return self._secret_record()._values()

    # ------------------------------------------------------------------ checks
    @api.constrains("backend_type")
    def _check_backend_type(self):
        for remote in self:
            if not BACKEND_TYPE.fullmatch(remote.backend_type or ""):
                raise ValidationError(_(
                    "Off-site target %(name)s: %(type)s is not a storage type. Storage type takes a plain name "
                    "in small letters, such as sftp, s3 or webdav.", name=remote.name, type=remote.backend_type))

    @api.constrains("options")
    def _check_options(self):
        for remote in self:
            remote._parsed_options()

    @api.constrains("remote_path")
    def _check_remote_path(self):
        for remote in self:
            path = remote.remote_path or ""
            parts = path.strip("/").split("/")
            if len(path) > 500 or not all(PATH_PART.fullmatch(part) for part in parts):
                raise ValidationError(_(
                    "Off-site target %(name)s: %(path)s is not a folder the backups can use. Give Folder on the "
                    "target as levels of letters, digits, '.', '_' and '-', none starting with '-' or '.', "
                    "e.g. backups/odoo.", name=remote.name, path=path[:100]))

    @api.constrains("age_recipient")
    def _check_age_recipient(self):
        for remote in self:
            key = (remote.age_recipient or "").strip()
            if key.upper().startswith("AGE-SECRET-KEY-"):
                raise ValidationError(_(
                    "Off-site target %s: this is a private key. Keep it off the server and give its public key "
                    "(age1..., shown by age-keygen -y) in Encryption public key.", remote.name))
            if not AGE_RECIPIENT.fullmatch(key):
                raise ValidationError(_(
                    "Off-site target %s: Encryption public key must be an age public key (age1 followed by 58 "
                    "letters and digits), as age-keygen prints it.", remote.name))

    def _parsed_options(self):
        """The connection settings as a dict; refused when a line is not ``name = value`` or names a setting
        that runs a program or holds a secret."""
        self.ensure_one()
        options = {}
        for number, line in enumerate((self.options or "").splitlines(), start=1):
            if not line.strip() or line.strip().startswith("#"):
                continue
            key, sep, value = line.partition("=")
            key, value = key.strip().lower(), value.strip()
            if not sep or not OPTION_KEY.fullmatch(key) or "\0" in value:
                raise ValidationError(_(
                    "Off-site target %(name)s: line %(line)s of Connection settings is not a setting. Write one "
                    "setting per line as name = value, e.g. host = backup.example.com.",
                    name=self.name, line=number))
            if key in REFUSED_OPTIONS or key.endswith("_command"):
                raise ValidationError(_(
                    "Off-site target %(name)s: the setting %(key)s is not accepted in Connection settings. "
                    "Passwords and keys go in the credentials; settings that run a program are not allowed.",
                    name=self.name, key=key))
            options[key] = value
        return options

    # ------------------------------------------------------------------ changes send plans back to approval
    def write(self, vals):
        if set(CREDENTIAL_FIELDS) & set(vals) and not self.env.user.has_group(MANAGER):
            raise AccessError(_("Only a backup manager sets the credentials of an off-site target."))
        changed = [name for name in TARGET_FIELDS if name in vals]
        before = {remote.id: [remote[name] for name in changed] for remote in self}
        result = super().write(vals)
        self._forget_credentials()
        for remote in self:
            if changed and [remote[name] for name in changed] != before[remote.id]:
                remote._reopen_plans(["offsite_remote_id"])
        return result

    @api.model_create_multi
    def create(self, vals_list):
        remotes = super().create(vals_list)
        remotes._forget_credentials()
        return remotes

    def _forget_credentials(self):
        """Drop the credentials just written from the cache, so that the record read back after a save (same
        request) shows them empty too."""
        self.invalidate_recordset(list(CREDENTIAL_FIELDS))

    def _reopen_plans(self, changed):
        """Approved or submitted plans that copy to this target go back to draft, as a change of the plan's
        own target would send them (the plan's approval covers where its off-site copy goes)."""
        for plan in self.sudo().plan_ids.filtered(lambda plan: not plan._ctrl_is_draft()):
            plan._ctrl_reopen(changed)
