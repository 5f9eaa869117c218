"""Pages of the calls for participation: public calls, the submitter's private link,
organisers' management and decisions, reviewers' pages."""

from django.urls import path

from cfp import views

app_name = "cfp"
urlpatterns = [
    # Calls for participation: public pages and the submitter's private link.
    path("congresses/<slug:slug>/cfp/", views.cfp_calls, name="calls"),
    path("congresses/<slug:slug>/cfp/manage/", views.cfp_manage, name="manage"),
    path("congresses/<slug:slug>/cfp/files/<int:file_id>/", views.cfp_file, name="file"),
    path(
        "congresses/<slug:slug>/cfp/submissions/<int:submission_id>/",
        views.cfp_submission_manage,
        name="submission_manage",
    ),
    path(
        "congresses/<slug:slug>/cfp/<slug:call_slug>/submit/",
        views.cfp_submit,
        name="submit",
    ),
    path(
        "congresses/<slug:slug>/cfp/<slug:call_slug>/dashboard/",
        views.cfp_dashboard,
        name="dashboard",
    ),
    path(
        "congresses/<slug:slug>/cfp/<slug:call_slug>/decide/",
        views.cfp_decide,
        name="decide",
    ),
    path(
        "congresses/<slug:slug>/cfp/<slug:call_slug>/assign/",
        views.cfp_assign,
        name="assign",
    ),
    path(
        "congresses/<slug:slug>/cfp/<slug:call_slug>/send-decisions/",
        views.cfp_send_decisions,
        name="send_decisions",
    ),
    path("congresses/<slug:slug>/reviews/", views.cfp_reviews, name="reviews"),
    path(
        "congresses/<slug:slug>/reviews/<int:submission_id>/",
        views.cfp_review,
        name="review",
    ),
    path("cfp/submission/<str:token>/", views.cfp_submission, name="submission"),
    path(
        "cfp/submission/<str:token>/files/<int:file_id>/",
        views.cfp_submission_file,
        name="submission_file",
    ),
]
