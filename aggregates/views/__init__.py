"""Pages of clouds and their resource segregation, one module per area."""
