from django.urls import path

from sessions.api import views

urlpatterns = [
    path("congresses/<slug:slug>/sessions/", views.SessionListView.as_view(), name="session-list"),
    path(
        "congresses/<slug:slug>/sessions/<int:pk>/",
        views.SessionDetailView.as_view(),
        name="session-detail",
    ),
    path(
        "congresses/<slug:slug>/sessions/<int:pk>/signups/",
        views.SessionSignupView.as_view(),
        name="session-signups",
    ),
    path(
        "congresses/<slug:slug>/sessions/<int:pk>/signups/cancel/",
        views.SessionSignupCancelView.as_view(),
        name="session-signup-cancel",
    ),
    path("congresses/<slug:slug>/rooms/", views.RoomListView.as_view(), name="room-list"),
    path(
        "congresses/<slug:slug>/rooms/<int:pk>/",
        views.RoomDetailView.as_view(),
        name="room-detail",
    ),
    path(
        "congresses/<slug:slug>/timetable-check/",
        views.TimetableCheckView.as_view(),
        name="timetable-check",
    ),
]
