from . import test_approval
from . import test_escalation
from . import test_checklist
