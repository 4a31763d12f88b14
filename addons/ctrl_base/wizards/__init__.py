from . import (
    ctrl_approval_decision,
    ctrl_checklist_override,
    ctrl_escalation_reset,
    ctrl_go_live_preview,
    ctrl_go_live_preview_line,
)
