from . import test_approval, test_checklist, test_escalation, test_lifecycle, test_mail_batch
