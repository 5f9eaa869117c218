from django.urls import path

from cfp.api import views

urlpatterns = [
    path(
        "congresses/<slug:slug>/submissions/",
        views.SubmissionListCreateView.as_view(),
        name="congress-submissions",
    ),
    path(
        "congresses/<slug:slug>/reviews/",
        views.ReviewListView.as_view(),
        name="congress-reviews",
    ),
]
