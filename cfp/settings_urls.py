"""Organiser pages of calls for participation: the call's settings, review settings,
opening and closing, and its questions."""

from django.urls import path

from cfp import settings_views as views
from cfp.views import cfp_manage
from congress.settings_pages import edit_page

app_name = "cfp_settings"
base = "congresses/<slug:slug>/cfp/manage/calls/"
call = f"{base}<int:call_pk>/"
urlpatterns = [
    # Saving a call or its review settings comes back to the list of calls.
    path(base, cfp_manage, name="calls"),
    path(f"{base}review/", cfp_manage, name="calls_review"),
    path(f"{base}add/", edit_page, {"page": views.CALLS}, name="calls_add"),
    path(f"{base}<int:pk>/", edit_page, {"page": views.CALLS}, name="calls_edit"),
    path(
        f"{base}<int:pk>/review/",
        edit_page,
        {"page": views.REVIEW_SETTINGS},
        name="calls_review_edit",
    ),
    path(f"{call}open/", views.call_open, name="open"),
    path(f"{call}close/", views.call_close, name="close"),
    path(f"{call}questions/", views.call_questions, name="questions"),
    path(f"{call}questions/add/", views.call_question_edit, name="question_add"),
    path(f"{call}questions/preview/", views.call_question_preview, name="question_preview"),
    path(f"{call}questions/<int:pk>/", views.call_question_edit, name="question_edit"),
    path(f"{call}questions/<int:pk>/delete/", views.call_question_delete, name="question_delete"),
]
