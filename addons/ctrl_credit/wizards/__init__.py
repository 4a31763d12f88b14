from . import ctrl_credit_hold_release
