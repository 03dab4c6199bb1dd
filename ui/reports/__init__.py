"""The dashboard page and the report's Qt parts (chart images, PDF).

Import ``DashboardPage`` from ``ui.reports.dashboard``; pyqtgraph loads only
when the page is first shown, not at app start-up.
"""
