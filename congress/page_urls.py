from django.urls import path

from congress import create_views, network_views, team_views, views

app_name = "congress"
urlpatterns = [
    path("", views.home, name="home"),
    path("backoffice/", views.backoffice, name="backoffice"),
    path(
        "networks/<slug:network_slug>/congresses/new/",
        create_views.congress_create,
        name="create",
    ),
    path("networks/<slug:network_slug>/staff/", network_views.network_staff, name="network_staff"),
    path(
        "networks/<slug:network_slug>/staff/<int:user_id>/remove/",
        network_views.network_staff_remove,
        name="network_staff_remove",
    ),
    path("team/invitation/", team_views.team_accept, name="team_accept"),
    path("team/invitation/<str:token>/", team_views.team_accept_link, name="team_accept_link"),
    path("congresses/<slug:slug>/", views.congress_detail, name="detail"),
    path("congresses/<slug:slug>/manage/", views.congress_manage, name="manage"),
    path("congresses/<slug:slug>/manage/team/", team_views.team, name="team"),
    path(
        "congresses/<slug:slug>/manage/team/<int:user_id>/<str:role>/remove/",
        team_views.team_revoke,
        name="team_revoke",
    ),
    path(
        "congresses/<slug:slug>/manage/team/invitations/<int:invitation_id>/cancel/",
        team_views.team_cancel,
        name="team_cancel",
    ),
]
