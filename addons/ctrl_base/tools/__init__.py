from . import migration
from . import i18n
