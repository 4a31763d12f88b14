from . import demo_roles, i18n, migration, progress
