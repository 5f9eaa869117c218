from django.urls import path

from congress.api import views

urlpatterns = [
    path("congresses/", views.CongressListView.as_view(), name="congress-list"),
    path("congresses/<slug:slug>/", views.CongressDetailView.as_view(), name="congress-detail"),
]
