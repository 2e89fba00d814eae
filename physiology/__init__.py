"""Pure models and calculations for Knee Cramp Lab (numpy; no widgets, no plotting).

This package is also the only code that reads data/ (see physiology.data).
"""
