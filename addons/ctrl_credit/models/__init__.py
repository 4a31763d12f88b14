from . import (
    account_move,
    ctrl_credit_criterion,
    ctrl_credit_evaluation,
    ctrl_credit_evaluation_line,
    ctrl_credit_grade,
    ctrl_credit_hold,
    ctrl_credit_limit_change,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    stock_picking,
)
