# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Helpers shared by the benchmarks in this folder."""
import psycopg2

import odoo


def vacuum(db, tables):
    """VACUUM ANALYZE ``tables`` of ``db``, as autovacuum would after a bulk
    load or reset (a database without autovacuum would otherwise scan and plan
    on unsettled or dead rows). Outside a transaction, so on its own connection."""
    _name, info = odoo.sql_db.connection_info_for(db)
    conn = psycopg2.connect(**info)
    try:
        conn.autocommit = True
        with conn.cursor() as vcr:
            for table in tables:
                vcr.execute(f"VACUUM ANALYZE {table}")  # pylint: disable=sql-injection
    finally:
        conn.close()

def insert_ledger(cr, params, count, salesperson="user_id", partial_dates=False):
    """Posted customer invoices, payments and their partial reconciliations from the rows of the temporary
    table ``bench_invoice`` (n, partner_id, inv_date, due_date, pay_date, amount, paid, kind; kind > 0 is paid
    in part or in full), written in SQL with ids reserved from Odoo's sequences: invoice n is move inv0 + n with
    lines aml0 + 2n (receivable) and aml0 + 2n + 1, its payment pay0 + n. ``params`` gives the company, currency,
    journals, accounts, uid and the name prefixes (invoice_prefix, payment_prefix); ``salesperson`` is the SQL of
    the invoices' salesperson; ``partial_dates`` fills ctrl_receivable's dates on the partials."""
    dates_columns = "ctrl_debit_date, ctrl_credit_date, " if partial_dates else ""
    dates_values = "inv_date, pay_date, " if partial_dates else ""
    cr.execute("SELECT nextval('account_move_id_seq'), nextval('account_move_line_id_seq'), "
               "nextval('account_partial_reconcile_id_seq')")
    params["inv0"], params["aml0"], params["part0"] = cr.fetchone()
    params["pay0"] = params["inv0"] + count
    params["paml0"] = params["aml0"] + 2 * count
    cr.execute("SELECT setval('account_move_id_seq', %s), setval('account_move_line_id_seq', %s), "
               "setval('account_partial_reconcile_id_seq', %s)",
               (params["pay0"] + count, params["paml0"] + 2 * count, params["part0"] + count))
    cr.execute(f"""
        INSERT INTO account_move (id, name, date, invoice_date, invoice_date_due, state, move_type, auto_post,
                                  journal_id, company_id, currency_id, partner_id, commercial_partner_id,
                                  invoice_user_id, amount_untaxed, amount_tax, amount_total, amount_residual,
                                  amount_untaxed_signed, amount_total_signed, amount_total_in_currency_signed,
                                  amount_residual_signed, payment_state, create_uid, write_uid, create_date,
                                  write_date)
        SELECT %(inv0)s + n, %(invoice_prefix)s || n, inv_date, inv_date, due_date, 'posted', 'out_invoice',
               'no',
               %(sale)s, %(company)s, %(currency)s, partner_id, partner_id, {salesperson}, amount, 0, amount,
               amount - paid, amount, amount, amount, amount - paid,
               CASE WHEN paid = amount THEN 'paid' WHEN paid > 0 THEN 'partial' ELSE 'not_paid' END,
               %(uid)s, %(uid)s, NOW(), NOW()
          FROM bench_invoice""", params)
    cr.execute("""
        INSERT INTO account_move_line (id, move_id, move_name, name, date, invoice_date, date_maturity,
                                       parent_state, journal_id, company_id, company_currency_id, currency_id,
                                       account_id, partner_id, display_type, debit, credit, balance,
                                       amount_currency, amount_residual, amount_residual_currency, reconciled,
                                       quantity, price_unit, price_subtotal, price_total,
                                       create_uid, write_uid, create_date, write_date)
        SELECT %(aml0)s + 2 * n + side, %(inv0)s + n, %(invoice_prefix)s || n,
               CASE side WHEN 0 THEN %(invoice_prefix)s || n ELSE 'goods' END,
               inv_date, inv_date, CASE side WHEN 0 THEN due_date ELSE NULL END,
               'posted', %(sale)s, %(company)s, %(currency)s, %(currency)s,
               CASE side WHEN 0 THEN %(receivable)s ELSE %(income)s END, partner_id,
               CASE side WHEN 0 THEN 'payment_term' ELSE 'product' END,
               CASE side WHEN 0 THEN amount ELSE 0 END, CASE side WHEN 0 THEN 0 ELSE amount END,
               CASE side WHEN 0 THEN amount ELSE -amount END, CASE side WHEN 0 THEN amount ELSE -amount END,
               CASE side WHEN 0 THEN amount - paid ELSE 0 END, CASE side WHEN 0 THEN amount - paid ELSE 0 END,
               side = 0 AND paid = amount,
               CASE side WHEN 0 THEN NULL ELSE 1 END, CASE side WHEN 0 THEN NULL ELSE amount END,
               CASE side WHEN 0 THEN NULL ELSE amount END, CASE side WHEN 0 THEN NULL ELSE amount END,
               %(uid)s, %(uid)s, NOW(), NOW()
          FROM bench_invoice CROSS JOIN (VALUES (0), (1)) sides(side)""", params)
    cr.execute("""
        INSERT INTO account_move (id, name, date, state, move_type, auto_post, journal_id, company_id, currency_id,
                                  partner_id, commercial_partner_id, amount_total, amount_total_signed,
                                  create_uid, write_uid, create_date, write_date)
        SELECT %(pay0)s + n, %(payment_prefix)s || n, pay_date, 'posted', 'entry', 'no', %(bank)s, %(company)s,
               %(currency)s,
               partner_id, partner_id, paid, paid, %(uid)s, %(uid)s, NOW(), NOW()
          FROM bench_invoice WHERE kind > 0""", params)
    cr.execute("""
        INSERT INTO account_move_line (id, move_id, move_name, name, date, parent_state, journal_id, company_id,
                                       company_currency_id, currency_id, account_id, partner_id, display_type,
                                       debit, credit, balance, amount_currency, amount_residual,
                                       amount_residual_currency, reconciled, create_uid, write_uid, create_date,
                                       write_date)
        SELECT %(paml0)s + 2 * n + side, %(pay0)s + n, %(payment_prefix)s || n, %(payment_prefix)s || n, pay_date,
               'posted', %(bank)s,
               %(company)s, %(currency)s, %(currency)s,
               CASE side WHEN 0 THEN %(receivable)s ELSE %(bank_account)s END, partner_id, 'product',
               CASE side WHEN 0 THEN 0 ELSE paid END, CASE side WHEN 0 THEN paid ELSE 0 END,
               CASE side WHEN 0 THEN -paid ELSE paid END, CASE side WHEN 0 THEN -paid ELSE paid END,
               0, 0, side = 0, %(uid)s, %(uid)s, NOW(), NOW()
          FROM bench_invoice CROSS JOIN (VALUES (0), (1)) sides(side) WHERE kind > 0""", params)
    cr.execute(f"""
        INSERT INTO account_partial_reconcile (id, debit_move_id, credit_move_id, amount, debit_amount_currency,
                                               credit_amount_currency, debit_currency_id, credit_currency_id,
                                               company_id, max_date, {dates_columns}create_uid, write_uid,
                                               create_date, write_date)
        SELECT %(part0)s + n, %(aml0)s + 2 * n, %(paml0)s + 2 * n, paid, paid, paid, %(currency)s, %(currency)s,
               %(company)s, GREATEST(inv_date, pay_date), {dates_values}%(uid)s, %(uid)s, NOW(), NOW()
          FROM bench_invoice WHERE kind > 0""", params)
