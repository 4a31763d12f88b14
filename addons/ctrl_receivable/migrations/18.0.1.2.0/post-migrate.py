# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def migrate(cr, version):
    """A customer's confirmation frequency is no longer computed and stored
    for every customer: empty follows the rule (monthly for related parties,
    else the company's default). The values the rule gives anyway are
    cleared, so that these customers follow the rule from now on, as new
    ones do; a frequency chosen by hand that differs from the rule stays.
    Plain SQL: no tracking message per customer."""
    if not version:
        return
    cr.execute("""UPDATE res_partner SET ctrl_recv_confirmation_frequency = NULL
                   WHERE ctrl_recv_related_party AND ctrl_recv_confirmation_frequency = 'monthly'""")
    cr.execute("""UPDATE res_partner partner SET ctrl_recv_confirmation_frequency = NULL
                    FROM res_company company
                   WHERE partner.company_id = company.id AND partner.ctrl_recv_related_party IS NOT TRUE
                     AND partner.ctrl_recv_confirmation_frequency = company.ctrl_recv_confirmation_frequency""")
    cr.execute("SELECT DISTINCT COALESCE(ctrl_recv_confirmation_frequency, 'yearly') FROM res_company")
    defaults = [row[0] for row in cr.fetchall()]
    if len(defaults) == 1:
        # One default everywhere: the customers shared by the companies follow it too (with several
        # defaults, a shared customer's value may be a choice and stays).
        cr.execute("""UPDATE res_partner SET ctrl_recv_confirmation_frequency = NULL
                       WHERE ctrl_recv_related_party IS NOT TRUE AND ctrl_recv_confirmation_frequency = %s""",
                   (defaults[0],))
