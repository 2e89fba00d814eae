"""Maintenance tools for the notebooks (clean outputs, render citations)."""
