"""Files Jupyter and Voila read from the data and config paths (templates, Voila settings)."""
