from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lianqi.core import views as core_views
from lianqi.core.ratelimit import rate_limit

# The schema and its docs are open to everybody; building the schema is not cheap.
_public = rate_limit("public-page", limit=lambda: settings.PUBLIC_PAGE_LIMIT, window=60, methods=("GET", "HEAD"))

handler403 = "lianqi.core.views.permission_denied"
handler404 = "lianqi.core.views.page_not_found"
handler500 = "lianqi.core.views.server_error"

urlpatterns = [
    path("", include("lianqi.core.urls")),
    path("accounts/", include("lianqi.accounts.urls")),
    path("jurisdictions/", include("lianqi.jurisdictions.urls")),
    path("departments/", include("lianqi.departments.urls")),
    path("enterprises/", include("lianqi.enterprises.urls")),
    path("jobs/", include("lianqi.jobs.urls")),
    path("audit/", include("lianqi.audit.urls")),
    path("inbox/", include("lianqi.notifications.urls")),
    path("hazards/", include("lianqi.hazards.urls")),
    path("tasks/", include("lianqi.tasks.urls")),
    path("checkpoints/", include("lianqi.checkpoints.urls")),
    path("appeals/", include("lianqi.appeals.urls")),
    path("checklists/", include("lianqi.checklists.urls")),
    path("inspections/", include("lianqi.inspections.urls")),
    path("visits/", include("lianqi.visits.urls")),
    path("spot-checks/", include("lianqi.spotchecks.urls")),
    path("reports/", include("lianqi.reporting.urls")),
    path("dashboard/", include("lianqi.dashboards.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("lianqi.api", "api"))),
    path("api/schema/", _public(SpectacularAPIView.as_view()), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", _public(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
]
