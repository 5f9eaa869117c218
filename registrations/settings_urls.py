"""Organiser settings pages of registrations, under /<lang>/congresses/<slug>/manage/."""

from django.urls import path

from congress.settings_pages import delete_page, list_page, reorder_page, settings_urls
from registrations import settings_views as views

app_name = "registration_settings"
base = "congresses/<slug:slug>/manage/"
fees = f"{base}categories/<int:category_pk>/fees/"
questions = {"page": views.QUESTIONS}
urlpatterns = [
    *settings_urls(views.CATEGORIES, "categories"),
    *settings_urls(views.COUNTRY_GROUPS, "country-groups"),
    *settings_urls(views.VOUCHERS, "vouchers"),
    path(fees, views.fees, name="fees"),
    path(f"{fees}add/", views.fee_edit, name="fee_add"),
    path(f"{fees}preview/", views.fee_preview, name="fee_preview"),
    path(f"{fees}<int:pk>/", views.fee_edit, name="fee_edit"),
    path(f"{fees}<int:pk>/preview/", views.fee_preview, name="fee_edit_preview"),
    path(f"{fees}<int:pk>/delete/", views.fee_delete, name="fee_delete"),
    path(f"{base}letters/", views.letters, name="letters"),
    path(f"{base}letters/signature/", views.signature_image, name="signature_image"),
    path(f"{base}questions/", list_page, questions, name="questions"),
    path(f"{base}questions/add/", views.question_edit, name="questions_add"),
    path(f"{base}questions/preview/", views.question_preview, name="question_preview"),
    path(f"{base}questions/order/", reorder_page, questions, name="questions_reorder"),
    path(f"{base}questions/<int:pk>/", views.question_edit, name="questions_edit"),
    path(f"{base}questions/<int:pk>/delete/", delete_page, questions, name="questions_delete"),
]
