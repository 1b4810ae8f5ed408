"""The REST API under /api/v1/: one router, each app registering its viewsets here."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from lianqi.accounts.api.views import MeView, UserViewSet
from lianqi.appeals.api.views import AppealViewSet
from lianqi.checklists.api.views import ChecklistTemplateViewSet
from lianqi.checkpoints.api.views import AlertViewSet, CheckpointViewSet, KeyPersonListViewSet, VerificationViewSet
from lianqi.dashboards.api.views import BulletinViewSet
from lianqi.departments.api.views import DepartmentViewSet
from lianqi.enterprises.api.views import AssignmentViewSet, EnterpriseViewSet
from lianqi.hazards.api.views import HazardViewSet
from lianqi.inspections.api.views import InspectionViewSet
from lianqi.jurisdictions.api.views import JurisdictionViewSet
from lianqi.reporting.api.views import DailyReportViewSet, MaterialReportViewSet, ResumptionStatsView
from lianqi.spotchecks.api.views import SpotCheckPlanViewSet
from lianqi.tasks.api.views import TaskAssignmentViewSet, TaskViewSet
from lianqi.visits.api.views import VisitExtractView, VisitViewSet
from lianqi.workflows.api.views import AttachmentView


class LianqiRouter(DefaultRouter):
    include_format_suffixes = False


router = LianqiRouter()
router.register("jurisdictions", JurisdictionViewSet, basename="jurisdiction")
router.register("departments", DepartmentViewSet, basename="department")
router.register("users", UserViewSet, basename="user")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("appeals", AppealViewSet, basename="appeal")
router.register("tasks", TaskViewSet, basename="task")
router.register("task-assignments", TaskAssignmentViewSet, basename="task-assignment")
router.register("checklist-templates", ChecklistTemplateViewSet, basename="checklist-template")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("spot-check-plans", SpotCheckPlanViewSet, basename="spot-check-plan")
router.register("daily-reports", DailyReportViewSet, basename="daily-report")
router.register("material-reports", MaterialReportViewSet, basename="material-report")
router.register("bulletins", BulletinViewSet, basename="bulletin")
router.register("checkpoints", CheckpointViewSet, basename="checkpoint")
router.register("checkpoint-alerts", AlertViewSet, basename="checkpoint-alert")
router.register("key-person-verifications", VerificationViewSet, basename="key-person-verification")
router.register("key-person-lists", KeyPersonListViewSet, basename="key-person-list")
router.register("visits", VisitViewSet, basename="visit")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("attachments/<int:pk>/", AttachmentView.as_view(), name="attachment"),
    path("stats/resumption/", ResumptionStatsView.as_view(), name="stats-resumption"),
    # Before the router: "extract" is not a visit id. With and without the slash (as the issue names it).
    re_path(r"^visits/extract/?$", VisitExtractView.as_view(), name="visit-extract"),
    *router.urls,
]
