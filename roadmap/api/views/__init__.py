"""Roadmap API views, one module per area."""
