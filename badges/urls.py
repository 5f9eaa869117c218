from django.urls import path

from badges import backoffice_views, views

app_name = "badges"
urlpatterns = [
    path("me/<str:token>/badge.pdf", views.self_badge, name="self_badge"),
    path("me/<str:token>/badge/", views.self_badge_qr, name="self_badge_qr"),
    path("me/<str:token>/badge/sw.js", views.self_badge_service_worker, name="self_badge_sw"),
    path("congresses/<slug:slug>/badges/", views.print_badges, name="print"),
    path(
        "congresses/<slug:slug>/badges/revocations/",
        views.revocations_page,
        name="revocations",
    ),
    path("checkin/", views.checkin_home, name="checkin"),
    path("welcome/", views.after_login, name="after_login"),
    path("checkin/sw.js", views.scanner_service_worker, name="scanner_service_worker"),
    path("checkin/manifest.webmanifest", views.scanner_manifest, name="scanner_manifest"),
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
    path("checkin/<slug:slug>/headsets/", views.headset_desk, name="headsets"),
    path(
        "congresses/<slug:slug>/manage/badges/checkpoints/",
        backoffice_views.checkpoints,
        name="checkpoints",
    ),
    path(
        "congresses/<slug:slug>/manage/badges/checkpoints/<int:pk>/",
        backoffice_views.checkpoint_edit,
        name="checkpoint_edit",
    ),
]
