"""Forms of the roadmap app, one module per area."""
