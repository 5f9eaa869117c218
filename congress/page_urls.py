from django.urls import path

from congress import cfp_views, views

app_name = "congress"
urlpatterns = [
    path("", views.home, name="home"),
    path("congresses/<slug:slug>/", views.congress_detail, name="detail"),
    path("congresses/<slug:slug>/manage/", views.congress_manage, name="manage"),
    # Calls for participation: public pages and the submitter's private link.
    path("congresses/<slug:slug>/cfp/", cfp_views.cfp_calls, name="cfp_calls"),
    path("congresses/<slug:slug>/cfp/manage/", cfp_views.cfp_manage, name="cfp_manage"),
    path("congresses/<slug:slug>/cfp/files/<int:file_id>/", cfp_views.cfp_file, name="cfp_file"),
    path(
        "congresses/<slug:slug>/cfp/submissions/<int:submission_id>/",
        cfp_views.cfp_submission_manage,
        name="cfp_submission_manage",
    ),
    path(
        "congresses/<slug:slug>/cfp/<slug:call_slug>/submit/",
        cfp_views.cfp_submit,
        name="cfp_submit",
    ),
    path(
        "congresses/<slug:slug>/cfp/<slug:call_slug>/dashboard/",
        cfp_views.cfp_dashboard,
        name="cfp_dashboard",
    ),
    path(
        "congresses/<slug:slug>/cfp/<slug:call_slug>/decide/",
        cfp_views.cfp_decide,
        name="cfp_decide",
    ),
    path(
        "congresses/<slug:slug>/cfp/<slug:call_slug>/assign/",
        cfp_views.cfp_assign,
        name="cfp_assign",
    ),
    path(
        "congresses/<slug:slug>/cfp/<slug:call_slug>/send-decisions/",
        cfp_views.cfp_send_decisions,
        name="cfp_send_decisions",
    ),
    path("congresses/<slug:slug>/reviews/", cfp_views.cfp_reviews, name="cfp_reviews"),
    path(
        "congresses/<slug:slug>/reviews/<int:submission_id>/",
        cfp_views.cfp_review,
        name="cfp_review",
    ),
    path("cfp/submission/<str:token>/", cfp_views.cfp_submission, name="cfp_submission"),
    path(
        "cfp/submission/<str:token>/files/<int:file_id>/",
        cfp_views.cfp_submission_file,
        name="cfp_submission_file",
    ),
]
