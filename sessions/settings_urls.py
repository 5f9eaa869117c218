"""Organiser settings pages of the programme: rooms."""

from congress.settings_pages import settings_urls
from sessions import settings_views

app_name = "programme_settings"
urlpatterns = [*settings_urls(settings_views.ROOMS, "rooms")]
