"""HTTP routes the app's backend answers beside Reflex's own (mounted in app/app.py)."""
