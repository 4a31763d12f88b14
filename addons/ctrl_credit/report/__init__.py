from . import credit_watchlist_xlsx
