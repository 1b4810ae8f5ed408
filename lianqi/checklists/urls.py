from django.urls import path

from . import views

app_name = "checklists"

urlpatterns = [
    path("", views.TemplateListView.as_view(), name="list"),
    path("new/", views.template_create, name="create"),
    path("import/", views.template_import, name="import"),
    path("<int:pk>/", views.TemplateDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.template_edit, name="edit"),
    path("<int:pk>/v<int:number>/export.json", views.version_export, name="export"),
    path("<int:pk>/v<int:number>/preview/", views.version_preview, name="preview"),
    path("<int:pk>/v<int:number>/publish/", views.version_publish, name="publish"),
    path("<int:pk>/v<int:number>/discard/", views.version_discard, name="discard"),
    path("<int:pk>/v<int:number>/sections/new/", views.section_form, name="section_create"),
    path("<int:pk>/v<int:number>/sections/<int:section_id>/", views.section_form, name="section_edit"),
    path("<int:pk>/v<int:number>/items/new/", views.item_form, name="item_create"),
    path("<int:pk>/v<int:number>/items/<int:item_id>/", views.item_form, name="item_edit"),
    path(
        "<int:pk>/v<int:number>/<str:kind>/<int:obj_id>/<str:action>/",
        views.editor_action,
        name="editor_action",
    ),
]
