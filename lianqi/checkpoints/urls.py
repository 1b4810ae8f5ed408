from django.urls import path

from . import views

app_name = "checkpoints"

urlpatterns = [
    path("", views.CheckpointListView.as_view(), name="list"),
    path("mine/", views.guard_home, name="guard_home"),
    path("c/<str:token>/", views.self_register, name="self_register"),
    path("entries/", views.EntryListView.as_view(), name="entries"),
    path("access-log/", views.AccessLogView.as_view(), name="access_log"),
    path("alerts/", views.AlertListView.as_view(), name="alerts"),
    path("alerts/<int:pk>/", views.alert, name="alert"),
    path("key-persons/", views.key_person_lists, name="key_person_lists"),
    path("verifications/", views.VerificationListView.as_view(), name="verifications"),
    path("verifications/<int:pk>/", views.verification, name="verification"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/poster.pdf", views.poster, name="poster"),
    path("<int:pk>/guard/", views.guard, name="guard"),
    path("<int:pk>/confirm/<int:entry_pk>/", views.confirm, name="confirm"),
]
