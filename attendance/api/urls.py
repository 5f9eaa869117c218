"""API: attendance reports (GET /api/v1/congresses/{slug}/reports/attendance/)."""

from django.urls import path

from attendance.api.views import AttendanceReportView

urlpatterns = [
    path(
        "congresses/<slug:slug>/reports/attendance/",
        AttendanceReportView.as_view(),
        name="attendance-report",
    ),
]
