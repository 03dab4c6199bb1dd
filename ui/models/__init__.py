"""Qt table models over the read-side queries (rows fetched on demand, never all at once)."""
