"""The audit trail read as changes a person made, and the command line's undo of them."""
