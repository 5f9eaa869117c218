"""Models of the attendance roll-up (after the congress). Imported at the end of
badges/models.py so Django registers them; kept apart from the badge/check-in models."""
