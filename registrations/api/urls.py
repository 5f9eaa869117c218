from django.urls import path

from registrations.api import views

urlpatterns = [
    path(
        "congresses/<slug:slug>/categories/",
        views.PublicCategoriesView.as_view(),
        name="congress-categories",
    ),
    path(
        "congresses/<slug:slug>/registration-questions/",
        views.RegistrationQuestionsView.as_view(),
        name="congress-registration-questions",
    ),
    path(
        "congresses/<slug:slug>/registrations/",
        views.RegistrationListCreateView.as_view(),
        name="registration-list",
    ),
    path(
        "congresses/<slug:slug>/registrations/<int:pk>/<slug:action>/",
        views.RegistrationActionView.as_view(),
        name="registration-action",
    ),
]
