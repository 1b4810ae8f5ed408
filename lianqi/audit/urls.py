from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("<str:app_label>/<str:model_name>/<int:pk>/", views.object_history, name="object_history"),
]
