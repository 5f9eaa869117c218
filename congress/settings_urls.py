"""Organiser pages for the congress's own settings, under /<lang>/congresses/<slug>/manage/."""

from django.urls import path

from congress import settings_views
from congress.settings_pages import settings_urls

app_name = "congress_settings"
urlpatterns = [
    path(
        "congresses/<slug:slug>/manage/settings/",
        settings_views.general_settings,
        name="general",
    ),
    *settings_urls(settings_views.TRACKS, "tracks"),
]
