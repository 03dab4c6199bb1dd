"""Help shipped with the app: the user guide (HTML and its screenshots, package data)."""
