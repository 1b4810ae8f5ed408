from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("map/", views.enterprise_map, name="map"),
    path("map/points.json", views.map_points, name="map_points"),
    path("new/", views.EnterpriseCreateView.as_view(), name="create"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("assignments/bulk/", views.BulkAssignView.as_view(), name="bulk_assign"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("officials/<int:user_id>/", views.official_detail, name="official"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="edit"),
    path("<int:pk>/tabs/<slug:key>/", views.enterprise_tab, name="tab"),
    path("<int:pk>/assign/", views.AssignmentCreateView.as_view(), name="assign"),
]
