"""KPIs, roll-ups, the wallboard and statistical bulletins."""
