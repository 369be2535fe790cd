"""FilterSets of the roadmap app, one module per area; pages and API share them."""
