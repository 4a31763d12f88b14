from . import test_approval, test_checklist, test_escalation
