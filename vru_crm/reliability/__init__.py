"""Reliability: backups that happen on their own, safe restore, read-only opening, private files.

Nothing here is needed for the app to work on a good day; all of it is there
for the day a laptop dies, a file is locked by a colleague or a USB stick is
write-protected.
"""
