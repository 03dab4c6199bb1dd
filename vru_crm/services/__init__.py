"""Services: each function is one unit of work over a ``db.session.Database``."""
