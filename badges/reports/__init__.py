"""Attendance after the congress: reports, close_congress, certificates, engagement."""
