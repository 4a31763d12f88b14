from . import ctrl_approval_decision, ctrl_checklist_override, ctrl_escalation_reset
