from django.urls import path

from congress.api import cfp_views, views

urlpatterns = [
    path("congresses/", views.CongressListView.as_view(), name="congress-list"),
    path("congresses/<slug:slug>/", views.CongressDetailView.as_view(), name="congress-detail"),
    path(
        "congresses/<slug:slug>/submissions/",
        cfp_views.SubmissionListCreateView.as_view(),
        name="congress-submissions",
    ),
    path(
        "congresses/<slug:slug>/reviews/",
        cfp_views.ReviewListView.as_view(),
        name="congress-reviews",
    ),
]
