from django.urls import path
from django.views.generic import RedirectView

from sessions import backoffice_views, views

app_name = "sessions"
urlpatterns = [
    path("congresses/<slug:slug>/programme/", views.programme, name="programme"),
    path("congresses/<slug:slug>/programme.ics", views.programme_ical, name="programme-ical"),
    path("congresses/<slug:slug>/programme.pdf", views.programme_pdf, name="programme-pdf"),
    path(
        "congresses/<slug:slug>/programme/sessions/<int:pk>/",
        views.session_detail,
        name="session",
    ),
    path(
        "congresses/<slug:slug>/programme/sessions/<int:pk>/sign-up/",
        views.session_signup,
        {"action": "sign-up"},
        name="session-signup",
    ),
    path(
        "congresses/<slug:slug>/programme/sessions/<int:pk>/cancel/",
        views.session_signup,
        {"action": "cancel"},
        name="session-cancel",
    ),
    path("congresses/<slug:slug>/programme/mine/", views.my_agenda, name="my-agenda"),
    path("congresses/<slug:slug>/programme/mine.ics", views.agenda_ical, name="my-agenda-ical"),
    path("congresses/<slug:slug>/programme/mine.pdf", views.agenda_pdf, name="my-agenda-pdf"),
    path(
        "congresses/<slug:slug>/timetable/",
        RedirectView.as_view(pattern_name="sessions:timetable"),
        name="timetable-old",
    ),
    path("congresses/<slug:slug>/manage/timetable/", backoffice_views.timetable, name="timetable"),
    path(
        "congresses/<slug:slug>/manage/timetable/publish/",
        backoffice_views.publish,
        {"action": "publish"},
        name="programme-publish",
    ),
    path(
        "congresses/<slug:slug>/manage/timetable/unpublish/",
        backoffice_views.publish,
        {"action": "unpublish"},
        name="programme-unpublish",
    ),
    path(
        "congresses/<slug:slug>/manage/timetable/sessions/new/",
        backoffice_views.session_form,
        name="session-create",
    ),
    path(
        "congresses/<slug:slug>/manage/timetable/sessions/<int:pk>/",
        backoffice_views.session_form,
        name="session-edit",
    ),
    path(
        "congresses/<slug:slug>/manage/timetable/sessions/<int:pk>/schedule/",
        backoffice_views.schedule,
        name="session-schedule",
    ),
    path("my-programme/<str:token>/", views.agenda, name="agenda"),
    path("my-programme/<str:token>/agenda.ics", views.agenda_ical, name="agenda-ical"),
    path("my-programme/<str:token>/agenda.pdf", views.agenda_pdf, name="agenda-pdf"),
    path(
        "my-programme/<str:token>/sessions/<int:pk>/sign-up/",
        views.agenda_signup,
        {"action": "sign-up"},
        name="agenda-signup",
    ),
    path(
        "my-programme/<str:token>/sessions/<int:pk>/cancel/",
        views.agenda_signup,
        {"action": "cancel"},
        name="agenda-cancel",
    ),
]
