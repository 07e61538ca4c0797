"""The demo department that ``manage.py seed_demo`` builds (deterministic for a seed)."""
