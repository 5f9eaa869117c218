from django.urls import path

from messaging.api import views

urlpatterns = [
    path(
        "congresses/<slug:slug>/mailings/",
        views.MailingListCreateView.as_view(),
        name="mailing-list",
    ),
    path(
        "congresses/<slug:slug>/mailings/<int:pk>/",
        views.MailingDetailView.as_view(),
        name="mailing-detail",
    ),
]
