from django.urls import path

from badges.api import views

urlpatterns = [
    path(
        "registrations/<int:pk>/badge.pdf", views.BadgePdfView.as_view(), name="registration-badge"
    ),
    path("congresses/<slug:slug>/checkins/", views.CheckInView.as_view(), name="checkin-create"),
    path(
        "congresses/<slug:slug>/checkins/batch/",
        views.CheckInBatchView.as_view(),
        name="checkin-batch",
    ),
    path(
        "congresses/<slug:slug>/checkins/offline-list/",
        views.OfflineListView.as_view(),
        name="checkin-offline-list",
    ),
    path(
        "congresses/<slug:slug>/checkins/search/",
        views.ParticipantSearchView.as_view(),
        name="checkin-search",
    ),
    path(
        "congresses/<slug:slug>/checkpoints/",
        views.CheckpointListView.as_view(),
        name="checkpoint-list",
    ),
    path("congresses/<slug:slug>/scans/", views.ScanLogView.as_view(), name="scan-log"),
]
