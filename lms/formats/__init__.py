"""Date and time formats per language (settings.FORMAT_MODULE_PATH).

English uses one style everywhere: "7 December 2026", 24-hour time "19:50" – not Django's US
default ("12/07/2026", "7:50 p.m.", "Dec. 7, 2026"). German keeps "07.12.2026" and "19:50".
Exports (CSV/XLSX) and the audit trail keep their fixed formats (lms.spreadsheets).
"""
