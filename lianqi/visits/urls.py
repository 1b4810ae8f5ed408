from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("", views.LedgerView.as_view(), name="list"),
    path("import/", views.import_view, name="import"),
    path("imports/<str:key>/", views.batch_view, name="batch"),
    path("drafts/<str:key>/", views.review, name="review"),
    path("drafts/<str:key>/discard/", views.discard, name="discard"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("coverage/rules/new/", views.rule_edit, name="rule_create"),
    path("coverage/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/tasks/", views.all_tasks, name="all_tasks"),
    path("<int:pk>/difficulties/<int:index>/appeal/", views.difficulty_appeal, name="difficulty_appeal"),
    path("<int:pk>/requirements/<int:rid>/task/", views.requirement_task, name="requirement_task"),
]
