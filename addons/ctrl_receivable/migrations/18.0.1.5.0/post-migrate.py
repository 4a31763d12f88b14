# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The collection reminder lists all the invoices of a customer that reach the first level together: one mail per
customer, not per invoice. The template is noupdate (users may word it their way): a template still worded as
shipped takes the new subject and body from the data file (each language from the translations); the first level
then sends one mail per customer, only if its template lists the customer's invoices."""
from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools.misc import file_path


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
    template = env.ref("ctrl_receivable.mail_template_collection_reminder", raise_if_not_found=False)
    body = (template.body_html or "") if template else ""
    if "Our invoice" in body and "ctrl_recv_open_text" in body:
        data = etree.parse(file_path("ctrl_receivable/data/ctrl_collection_data.xml"))
        node = data.find(".//record[@id='mail_template_collection_reminder']")
        html = node.find("field[@name='body_html']")
        template.write({
            "subject": node.find("field[@name='subject']").text,
            "body_html": "".join(etree.tostring(child, method="html", encoding="unicode") for child in html),
        })
        template.flush_recordset()
        # The other languages' old wording goes too: the translations loaded after this script fill them in.
        cr.execute("""UPDATE mail_template SET subject = jsonb_build_object('en_US', subject->'en_US'),
                                               body_html = jsonb_build_object('en_US', body_html->'en_US')
                       WHERE id = %s""", (template.id,))
        template.invalidate_recordset()
    level = env.ref("ctrl_receivable.escalation_level_collection_1", raise_if_not_found=False)
    if level and level.activity_group_field and "ctrl_recv_reminder_html" in (level.mail_template_id.body_html or ""):
        level.mail_per_group = True
