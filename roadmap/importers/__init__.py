"""Readers of other trackers' data (Launchpad), turning it into values our services write."""
