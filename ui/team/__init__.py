"""Team mode in the window: who is signed in, and what their role may not do."""
