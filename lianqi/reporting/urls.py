from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.today, name="today"),
    path("enterprise/<int:pk>/", views.submit, name="submit"),
    path("enterprise/<int:pk>/repeat/", views.repeat, name="repeat"),
    path("<int:pk>/", views.detail, name="detail"),
    path("difficulties/", views.difficulties, name="difficulties"),
    path("tracking/", views.tracking, name="tracking"),
    path("materials/", views.material_list, name="materials"),
]
