"""Team mode on PostgreSQL: each member of staff signs in as their own login role."""
