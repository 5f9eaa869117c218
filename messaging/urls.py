from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("congresses/<slug:slug>/mailings/", views.mailings, name="mailings"),
    path("congresses/<slug:slug>/mailings/new/", views.mailing_new, name="mailing_new"),
    path("congresses/<slug:slug>/mailings/count/", views.mailing_count, name="mailing_count"),
    path("congresses/<slug:slug>/mailings/preview/", views.mailing_preview, name="mailing_preview"),
    path("congresses/<slug:slug>/mailings/<int:pk>/", views.outbox, name="outbox"),
    path(
        "congresses/<slug:slug>/mailings/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"
    ),
    path("congresses/<slug:slug>/reminders/", views.reminders, name="reminders"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
