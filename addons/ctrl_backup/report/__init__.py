from . import backup_register_xlsx
