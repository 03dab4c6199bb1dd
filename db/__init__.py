"""Storage layer: SQLModel tables, engine and sessions, Alembic migrations.

Nothing in here knows about Qt or about the domain services in ``vru_crm``.
"""
