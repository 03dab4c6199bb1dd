"""PRG governance: cadence, minutes, attendance, agendas, actions, recommendations, calendars.

Each module's public functions take a ``db.session.Database`` first and are one
unit of work each; the arithmetic they rest on is kept in plain functions so it
can be reasoned about (and tested) apart from the storage.
"""
