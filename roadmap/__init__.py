"""Projects, release series, milestones, blueprints; meetups; board meetings and items."""
