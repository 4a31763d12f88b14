# Mixins first: models that inherit them are built in import order.
from . import ctrl_document_mixin
from . import ctrl_approval_mixin
from . import ctrl_escalation_mixin
from . import ctrl_checklist_mixin
from . import ctrl_approval_rule
from . import ctrl_approval_rule_step
from . import ctrl_approval_request
from . import ctrl_approval_request_step
from . import ctrl_escalation_ladder
from . import ctrl_escalation_level
from . import ctrl_escalation_step
from . import ctrl_checklist_template
from . import ctrl_checklist_template_item
from . import ctrl_checklist
from . import ctrl_checklist_line
from . import res_config_settings
