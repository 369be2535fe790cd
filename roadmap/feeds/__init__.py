"""Atom feeds and iCalendar exports of the roadmap, one module per area."""
