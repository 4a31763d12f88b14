from . import ctrl_backup_plan
from . import ctrl_backup_log
from . import hr_employee
from . import hr_departure_wizard
from . import res_config_settings
