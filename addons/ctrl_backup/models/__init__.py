from . import ctrl_backup_plan
from . import ctrl_backup_log
