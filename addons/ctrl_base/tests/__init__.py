from . import test_approval, test_checklist, test_escalation, test_mail_batch
