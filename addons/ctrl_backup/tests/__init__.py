from . import test_security
from . import test_backup_plan
from . import test_real_backup
from . import test_departure_password
from . import test_media
from . import test_restore_incident
from . import test_account_security
from . import test_upload
