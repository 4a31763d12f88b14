from . import test_security
from . import test_scoring
from . import test_action
from . import test_cron
from . import test_rota
from . import test_appeal
from . import test_bad_input
from . import test_i18n
