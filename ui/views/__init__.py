"""The pages of the main window: Home, the lists, and the detail views."""
