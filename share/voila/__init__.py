"""Voila configuration and the server-side hooks it loads (share/voila/collection.py)."""
