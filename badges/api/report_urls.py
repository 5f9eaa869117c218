"""API: attendance reports, per DESIGN.md (GET /api/v1/congresses/{slug}/reports/attendance/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
