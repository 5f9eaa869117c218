from django.urls import path

from badges import backoffice_views, views

app_name = "badges"
urlpatterns = [
    path("me/<str:token>/badge.pdf", views.self_badge, name="self_badge"),
    path("congresses/<slug:slug>/badges/", views.print_badges, name="print"),
    path("checkin/", views.checkin_home, name="checkin"),
    path("checkin/<slug:slug>/", views.checkin_page, name="checkin_for_congress"),
    path(
        "checkin/<slug:slug>/desk/",
        views.checkin_page,
        {"desk": True},
        name="checkin_desk",
    ),
    path("checkin/<slug:slug>/log/", views.scan_log_page, name="scan_log"),
    path(
        "congresses/<slug:slug>/manage/badges/templates/",
        backoffice_views.templates,
        name="templates",
    ),
    path(
        "congresses/<slug:slug>/manage/badges/templates/new/",
        backoffice_views.template_form,
        name="template_create",
    ),
    path(
        "congresses/<slug:slug>/manage/badges/templates/<int:pk>/",
        backoffice_views.template_form,
        name="template_edit",
    ),
    path(
        "congresses/<slug:slug>/manage/badges/templates/preview/",
        backoffice_views.template_preview,
        name="template_preview",
    ),
    path(
        "congresses/<slug:slug>/manage/badges/templates/preview.pdf",
        backoffice_views.template_preview_pdf,
        name="template_preview_pdf",
    ),
]
