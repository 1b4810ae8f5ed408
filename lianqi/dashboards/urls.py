from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.dashboard, name="node"),
    path("<int:pk>/map.json", views.map_points, name="map"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/new/", views.bulletin_request, name="bulletin_request"),
    path("bulletins/subscribe/", views.subscribe, name="subscribe"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/<str:fmt>/", views.bulletin_file, name="bulletin_file"),
]
