"""Demo registrations (filled in below)."""
