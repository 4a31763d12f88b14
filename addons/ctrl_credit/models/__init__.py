from . import (
    account_move,
    product_pricelist,
    ctrl_credit_bill,  # before the exposure ledger: its view reads the bills' table
    ctrl_credit_criterion,
    ctrl_credit_evaluation,
    ctrl_credit_evaluation_line,
    ctrl_credit_exposure,
    ctrl_credit_grade,
    ctrl_credit_hold,
    ctrl_credit_limit_change,
    ctrl_credit_monitoring,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
    stock_picking,
)
