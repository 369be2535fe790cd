"""Clouds, hosts, aggregates, zones and flavors; the placement engine; sync; utilisation."""
