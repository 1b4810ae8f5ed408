from django.urls import path

from . import views

app_name = "spotchecks"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("public/", views.public_results, name="public"),
    path("libraries/", views.inspector_library, name="libraries"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/draw/", views.plan_draw, name="draw"),
    path("<int:pk>/draw.json", views.draw_record, name="draw_record"),
    path("<int:pk>/publish/", views.plan_publish, name="publish"),
    path("<int:pk>/targets/<int:target_id>/result/", views.target_result, name="result"),
]
