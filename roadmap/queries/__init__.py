"""The read side of the roadmap app, one module per area."""
