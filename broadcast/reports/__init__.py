"""Results reports (báo cáo kết quả): what was planned against what stations say they played."""

from __future__ import annotations

from broadcast.reports.results import Place, Report, ReportRow, StationInfo, Tally, Total, build_report, load_report
from broadcast.reports.writers import FORMATS, render, report_json, write_csv, write_json, write_xlsx

__all__ = [
    "FORMATS",
    "Place",
    "Report",
    "ReportRow",
    "StationInfo",
    "Tally",
    "Total",
    "build_report",
    "load_report",
    "render",
    "report_json",
    "write_csv",
    "write_json",
    "write_xlsx",
]
