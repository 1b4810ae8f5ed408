from django.urls import path

from . import views

app_name = "hazards"

urlpatterns = [
    path("", views.HazardLedgerView.as_view(), name="ledger"),
    path("new/", views.report, name="report"),
    path("report/", views.public_report, name="public_report"),
    path("from-finding/<int:finding_pk>/", views.from_finding, name="from_finding"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:name>/", views.act, name="act"),
    path("<int:pk>/plan/", views.save_plan, name="plan"),
    path("<int:pk>/extension/", views.request_extension, name="request_extension"),
    path("<int:pk>/extension/<int:extension_pk>/", views.decide_extension, name="decide_extension"),
    path("<int:pk>/listing/", views.list_hazard, name="listing"),
]
