from . import models, report, wizards
from .models.ctrl_credit_exposure import drop_triggers


def uninstall_hook(env):
    """The exposure ledger's triggers live on Odoo's own tables: they go with the addon."""
    drop_triggers(env.cr)
