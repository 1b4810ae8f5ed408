from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="list"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("photos/<int:pk>/", views.photo_file, name="photo_file"),
    path("due/", views.due_view, name="due"),
    path("new/", views.create, name="create"),
    path("self/", views.start_self_inspection, name="start_self"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/conduct/", views.conduct, name="conduct"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
