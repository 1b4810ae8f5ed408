from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("", views.AppealListView.as_view(), name="list"),
    path("new/", views.raise_appeal, name="raise"),
    path("statistics/", views.statistics, name="statistics"),
    path("weekly/", views.weekly_list, name="weekly"),
    path("rules/", views.routing_rules, name="rules"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:name>/", views.act, name="act"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/extension/", views.request_extension, name="request_extension"),
    path("<int:pk>/extension/decide/", views.decide_extension, name="decide_extension"),
]
