from . import test_attacks
from . import test_credit_hold
from . import test_limit_change
from . import test_monitoring
from . import test_security
from . import test_newcomer
from . import test_go_live
from . import test_xlsx_reports
