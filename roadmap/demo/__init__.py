"""Demo data of the roadmap: blueprints as Launchpad sends them; meetups and the board."""
