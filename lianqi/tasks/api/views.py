from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from lianqi.accounts.choices import Role
from lianqi.core.api.parsers import LimitedJSONParser
from lianqi.core.api.viewsets import ScopedViewSetMixin
from lianqi.workflows.engine import StaleObject

from ..models import Task, TaskAssignment
from ..services import deploy_task
from ..workflow import TASK_WORKFLOW
from .serializers import DeploySerializer, StepSerializer, TaskAssignmentSerializer, TaskSerializer


class TaskViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Deployed tasks (部署任务) and their assignees."""

    model = Task
    serializer_class = TaskSerializer
    create_roles = (Role.LEADER, Role.OFFICE, Role.DEPARTMENT)
    ordering = ["deadline"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("assignments")

    @extend_schema(request=DeploySerializer, responses={201: TaskSerializer})
    def create(self, request, *args, **kwargs):
        serializer = DeploySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parent = data.pop("parent")
        if parent is not None and not Task.objects.visible_to(request.user).filter(pk=parent.pk).exists():
            parent = None
        task = deploy_task(actor=request.user, parent=parent, **data)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskAssignmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """One assignee's share of a task; steps are POST ``transitions/{name}/`` with name one of
    start, report_progress, submit, accept, return."""

    model = TaskAssignment
    serializer_class = TaskAssignmentSerializer
    parser_classes = [LimitedJSONParser, MultiPartParser, FormParser]
    ordering = ["deadline"]

    @extend_schema(request=StepSerializer, responses={200: TaskAssignmentSerializer})
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request, pk=None, name=None):
        assignment = self.get_object()
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v not in ("", None, [])}
        version = data.pop("version", None)
        try:
            assignment = TASK_WORKFLOW.perform(assignment, name, actor=request.user, expected_version=version, **data)
        except StaleObject as error:
            return Response({"code": "stale", "message": error.messages[0]}, status=status.HTTP_409_CONFLICT)
        return Response(TaskAssignmentSerializer(assignment).data)

    def check_object_permissions(self, request, obj):
        if self.action == "transition":
            return
        super().check_object_permissions(request, obj)
