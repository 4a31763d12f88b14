from . import test_security
from . import test_aging
from . import test_provision
from . import test_kpi
from . import test_expected_loss
from . import test_collection
from . import test_confirmation
from . import test_handover
