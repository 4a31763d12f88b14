# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Translated data that code creates, and text generated for several readers."""
from odoo.tools import SQL


def installed_langs(env):
    """Codes of the languages installed in the database."""
    return [code for code, _name in env["res.lang"].get_installed()]


def translate_code_terms(env, model_name, field_name, terms, langs=None, overwrite=False):
    """Give the records of ``model_name`` whose English ``field_name`` is one
    of ``terms`` (lazy code terms of an addon, ``_lt``) the term's translation
    in each of ``langs`` (default: the installed languages).

    Records that code creates at install (a company's default aging schemes)
    have no xml id, so Odoo's loader of the addons' ``i18n/*.po`` does not see
    them: this is their loader, run when they are created and whenever a
    language is loaded. A value a user already entered in a language stays,
    unless ``overwrite``."""
    Model = env[model_name]
    column = SQL.identifier(Model._fields[field_name].name)
    Model.flush_model([field_name])
    for lang in langs or installed_langs(env):
        if lang == "en_US":
            continue
        for term in terms:
            source, value = term._translate("en_US"), term._translate(lang)
            if value == source:
                continue
            params = {"table": SQL.identifier(Model._table), "column": column, "lang": lang, "value": value,
                      "source": source}
            env.cr.execute(SQL(
                """UPDATE %(table)s SET %(column)s = %(column)s || jsonb_build_object(%(lang)s::text, %(value)s::text)
                    WHERE %(column)s->>'en_US' = %(source)s AND (%(overwrite)s OR NOT %(column)s ? %(lang)s)""",
                overwrite=bool(overwrite), **params))
            # Created while the language's text was taken for English (a database installed in that
            # language only): English gets its English back.
            env.cr.execute(SQL(
                """UPDATE %(table)s
                      SET %(column)s = %(column)s || jsonb_build_object('en_US', %(source)s::text, %(lang)s::text,
                                                                        %(value)s::text)
                    WHERE %(column)s->>'en_US' = %(value)s""", **params))
    Model.invalidate_model([field_name])


def company_lang(company):
    """The language of text written once for every reader of ``company``'s
    documents (a message a scheduled action posts in the chatter): the
    company's own language when installed, else English."""
    lang = company.partner_id.lang
    return lang if lang in installed_langs(company.env) else "en_US"


def in_each_lang(env, render):
    """{lang: render(env in lang)} for the installed languages: generated text for several readers, each
    in their own language (the value of a translated field)."""
    return {lang: render(env(context=dict(env.context, lang=lang))) for lang in installed_langs(env)}


def write_translations(records, field_name, texts):
    """Set the translated ``field_name`` of ``records`` in several languages at once: ``texts`` is
    {lang: {record id: text}}. One UPDATE per language: scheduled actions write them by the thousand."""
    if not records:
        return
    column = SQL.identifier(records._fields[field_name].name)
    records.flush_recordset([field_name])
    for lang, by_id in texts.items():
        rows = [(record_id, text) for record_id, text in by_id.items() if text]
        if not rows:
            continue
        records.env.cr.execute(SQL(
            """UPDATE %(table)s t SET %(column)s = COALESCE(t.%(column)s, '{}'::jsonb) || jsonb_build_object(
                   %(lang)s::text, v.text::text)
                 FROM (VALUES %(rows)s) AS v(id, text) WHERE t.id = v.id""",
            table=SQL.identifier(records._table), column=column, lang=lang,
            rows=SQL(", ").join(SQL("(%s, %s)", record_id, text) for record_id, text in rows)))
    records.invalidate_recordset([field_name])


def load_module_terms(env, module):
    """Load ``module``'s translations now. Odoo loads a module's translations after its demo data: demo
    data that writes generated text quoting the module's own translated data loads them first."""
    langs = [lang for lang in installed_langs(env) if lang != "en_US"]
    if langs:
        env["ir.module.module"]._load_module_terms([module], langs)
