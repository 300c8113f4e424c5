"""Traffic generator (live) and discrete-event simulator (fast) on the routing engine."""
