"""Organiser pages for attendance reports and certificates (after the congress)."""

from django.urls import path

from attendance import organisation_views, views

app_name = "attendance"
urlpatterns = [
    path("congresses/<slug:slug>/attendance/", views.attendance, name="attendance"),
    path(
        "congresses/<slug:slug>/attendance/report.pdf", views.attendance_pdf, name="attendance_pdf"
    ),
    path("congresses/<slug:slug>/attendance/people.csv", views.people_csv, name="people_csv"),
    path("congresses/<slug:slug>/attendance/close/", views.close, name="close"),
    path("congresses/<slug:slug>/attendance/reopen/", views.reopen, name="reopen"),
    path("congresses/<slug:slug>/certificates/", views.certificate_settings, name="certificates"),
    path(
        "congresses/<slug:slug>/engagement/",
        views.congress_engagement,
        name="congress_engagement",
    ),
    path("networks/<slug:slug>/engagement/", views.engagement, name="engagement"),
    path("certificates/verify/<str:code>/", views.verify_certificate, name="verify_certificate"),
    path("certificates/mine/<str:token>/", views.my_certificate, name="my_certificate"),
    path("me/<str:token>/online/", views.online_participation, name="online"),
    path(
        "networks/<slug:network_slug>/organisations/",
        organisation_views.organisations,
        name="organisations",
    ),
    path(
        "networks/<slug:network_slug>/organisations/<int:organisation_id>/",
        organisation_views.organisation,
        name="organisation",
    ),
    path(
        "networks/<slug:network_slug>/organisations/<int:organisation_id>/memberships/add/",
        organisation_views.membership_add,
        name="membership_add",
    ),
    path(
        "networks/<slug:network_slug>/organisations/<int:organisation_id>/memberships/"
        "<int:membership_id>/end/",
        organisation_views.membership_end,
        name="membership_end",
    ),
]
