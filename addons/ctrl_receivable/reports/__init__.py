from . import aging_xlsx
from . import accountability_payroll_xlsx
