# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import ctrl_provision_prepare
from . import ctrl_collection_preset
from . import ctrl_balance_confirmation_campaign
from . import hr_departure_wizard
from . import ctrl_go_live_preview
from . import ctrl_go_live_preview_line
