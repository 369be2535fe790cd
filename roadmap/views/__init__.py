"""Roadmap pages, one module per area: blueprints (roadmap), meetups, board."""
