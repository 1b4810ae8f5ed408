from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("new/", views.deploy, name="deploy"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:parent_pk>/decompose/", views.deploy, name="decompose"),
    path("assignments/<int:pk>/act/<slug:name>/", views.act, name="act"),
]
