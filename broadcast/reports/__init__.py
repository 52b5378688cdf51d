"""Reports: the results report (báo cáo kết quả: `results` reads what was planned and played, `writers` renders it
as CSV, XLSX or JSON, `office` scopes it for a page) and the station status (`status`).

Import from the module itself: this package loads nothing of its own, so the station status does not pay for the
results report and openpyxl (half a second) it does not use.
"""
