"""Documents made from records: the Personal Learning Record report (PDF and CSV)."""
