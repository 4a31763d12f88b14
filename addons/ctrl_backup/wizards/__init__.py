from . import ctrl_backup_offsite_restore
