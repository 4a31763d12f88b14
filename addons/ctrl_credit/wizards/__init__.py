from . import ctrl_credit_hold_release
from . import ctrl_credit_approval_preset
