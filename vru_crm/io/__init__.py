"""Import and export of files (CSV and XLSX here; calendars and graphs elsewhere in ``io``).

The CLI and the Qt import dialog call the same ``import_file``; exports write
what ``import_file`` reads back, so a file can go out and come back unchanged.
"""
