"""Training demand and budget: what a capability plan needs in a fiscal year and what it costs (README)."""
