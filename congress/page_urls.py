from django.urls import path

from congress import views

app_name = "congress"
urlpatterns = [
    path("", views.home, name="home"),
    path("congresses/<slug:slug>/", views.congress_detail, name="detail"),
    path("congresses/<slug:slug>/manage/", views.congress_manage, name="manage"),
]
