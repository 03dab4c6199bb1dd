"""Screens for data protection and reliability: consent, retention, subject access, audit, restore."""
