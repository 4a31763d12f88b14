# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import account_partial_reconcile
from . import ctrl_aging_scheme
from . import ctrl_aging_bucket
from . import ctrl_aging_engine
from . import ctrl_aging_report
from . import ctrl_aging_report_line
from . import ctrl_aging_report_kpi
from . import ctrl_expected_loss
from . import ctrl_provision_specific
from . import ctrl_provision_run
from . import ctrl_provision_run_line
from . import res_company
from . import res_partner
from . import res_config_settings
from . import ctrl_balance_confirmation
from . import ctrl_balance_confirmation_line
from . import ctrl_credit_hold
from . import ctrl_receivable_handover
from . import ctrl_receivable_handover_line
from . import res_users
from . import hr_employee
