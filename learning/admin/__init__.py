"""Coordinator screens in the Wagtail admin, one module per area."""
