from . import test_approval, test_checklist, test_escalation, test_go_live, test_i18n, test_lifecycle, test_mail_batch
from . import test_duty_conflict, test_xlsx_report
