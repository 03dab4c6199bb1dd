"""Figures and reports: the dashboard's numbers and the quarterly report to the PRG.

``figures`` is the one query layer both read; ``quarterly`` assembles the
report; ``render_html`` and ``render_csv`` write it; PDF and chart images need
Qt and are reached through ``renderers`` (registered by the top-level
``main.py``), so this package never imports Qt.
"""
