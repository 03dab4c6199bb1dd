"""Qt views of PRG governance: cadence, agenda builder, meeting record, actions, recommendations."""
