from . import payroll_xlsx
