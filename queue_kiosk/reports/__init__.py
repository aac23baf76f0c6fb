"""What a centre learns from its days: reports and KPIs, the staffing planner, the day
simulator and the shape of a typical day. May import: `service` and below."""
