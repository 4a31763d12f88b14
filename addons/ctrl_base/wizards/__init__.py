from . import ctrl_approval_decision
from . import ctrl_checklist_override
