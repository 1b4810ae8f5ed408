"""Lianqi settings, read from the environment (see docs/deploy.md for the full table).

With no environment at all the project runs in its embedded default: SQLite under ``var/``,
background jobs run in-process, e-mail to the console, DEBUG on.
"""

import hashlib
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lianqi.core.env import database_from_url, env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("LIANQI_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
TESTING = env_bool("LIANQI_TESTING", "pytest" in sys.modules)

_DEV_SECRET = "insecure-development-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - development only, refused below when DEBUG is off
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50+ characters when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "lianqi.core",
    "lianqi.jurisdictions",
    "lianqi.industries",
    "lianqi.departments",
    "lianqi.accounts",
    "lianqi.enterprises",
    "lianqi.audit",
    "lianqi.jobs",
    "lianqi.checklists",
    "lianqi.inspections",
    "lianqi.spotchecks",
    "lianqi.workflows",
    "lianqi.notifications",
    "lianqi.hazards",
    "lianqi.tasks",
    "lianqi.checkpoints",
    "lianqi.workdays",
    "lianqi.appeals",
    "lianqi.reporting",
    "lianqi.dashboards",
    "lianqi.visits",
]

MIDDLEWARE = [
    "lianqi.core.logs.RequestIdMiddleware",  # first: every later record and response carries the id
    "django.middleware.security.SecurityMiddleware",
    "lianqi.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lianqi.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lianqi.accounts.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# Behind a load balancer, LIANQI_SERVER_NAME names this app server in an X-Served-By header.
SERVER_NAME_HEADER = env_str("LIANQI_SERVER_NAME", "")
if SERVER_NAME_HEADER:
    MIDDLEWARE.insert(0, "lianqi.core.middleware.served_by")

ROOT_URLCONF = "lianqi.urls"
WSGI_APPLICATION = "lianqi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lianqi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lianqi.core.context_processors.navigation",
                "lianqi.notifications.context_processors.inbox",
            ],
        },
    },
]

# --- Database: SQLite file under the data directory unless DATABASE_URL says otherwise.
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "lianqi.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
# A read replica for dashboards and statistics (lianqi/core/replica.py); code opts in per block.
_replica_url = env_str("DATABASE_REPLICA_URL", "")
if _replica_url:
    DATABASES["replica"] = database_from_url(_replica_url) | {"TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["lianqi.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Redis.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "lianqi"),
            # A Redis that is down or stuck fails the call in seconds, never hangs a request.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth.
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900, minimum=1)
# Failed sign-ins from one client address (any account names) within LOGIN_LOCKOUT_SECONDS.
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 30, minimum=1)
# Reverse proxies in front of the app that append to X-Forwarded-For (rate limits key on the
# address the outermost one saw). 0: use the connection's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1, minimum=0, maximum=5)

# --- Security (check --deploy is clean with DEBUG off).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
# Signed out after this long without a request (0: only SESSION_COOKIE_AGE counts), and, by
# default, when the browser is closed (a shared office computer).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 2 * 3600, minimum=0)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy and Permissions-Policy: lianqi/core/security.py. Extra image sources
# (the MAP_TILE_URL host is allowed by itself); report-only to try a change out.
CSP_IMG_SRC = env_list("CSP_IMG_SRC", [])
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes talk to app servers over plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalisation.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lianqi" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files: front-end packages come from node_modules, served locally.
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "lianqi" / "static",
    # Tabler's css, js and img only: its libs/ (34 MB of optional editors and maps, some with
    # source-map references to files not shipped) would break and slow collectstatic.
    *[(f"vendor/tabler/{part}", _NODE / "@tabler" / "core" / "dist" / part) for part in ("css", "js", "img")],
    ("vendor/echarts", _NODE / "echarts" / "dist"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/leaflet", _NODE / "leaflet" / "dist"),
]
# Uploaded and generated files go through Django's storage API: a local directory (MEDIA_ROOT) by
# default, an S3-compatible object store (MinIO, Ceph, a cloud) with STORAGE_BACKEND=s3.
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "local").strip().lower()
if STORAGE_BACKEND == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("S3_PREFIX", ""),
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
            "default_acl": None,  # the bucket stays private; files are handed out by scoped views
            "querystring_auth": True,
            "file_overwrite": False,
            "verify": env_bool("S3_VERIFY_TLS", True),
        },
    }
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND={STORAGE_BACKEND!r} is not supported; use local or s3.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# Uploads (lianqi/core/uploads.py checks every file by content): photos and attachments, imports.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 10, minimum=1, maximum=200)
MAX_IMPORT_MB = env_int("MAX_IMPORT_MB", 50, minimum=1, maximum=500)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 60_000_000, minimum=1_000_000)  # a 50-megapixel phone fits
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger files are spooled to a temporary file
# The request body other than files (form fields, JSON), and how many fields and files one may
# carry. 10 MB: a pasted visit report of 5 MB of Chinese text is about that much as JSON.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 2000, minimum=100)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 50, minimum=1)
# `manage.py backup` writes its archives here (docs/backup.md).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(DATA_DIR / "backups")))

# --- E-mail.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "lianqi@localhost")

# --- Background jobs: Celery on Redis in production, in-process in the embedded default.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
# Tests run tasks in-process too, except the one that starts a real worker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL or TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING below (JSON in production)

CELERY_BEAT_SCHEDULE = {
    "check-deadlines": {"task": "notifications.check_deadlines", "schedule": env_int("DEADLINE_CHECK_SECONDS", 900)},
    "retry-webhooks": {"task": "notifications.retry_webhooks", "schedule": 60},
    # Events whose dispatch was lost while the broker was down (an outbox in the database).
    "dispatch-pending-events": {"task": "notifications.dispatch_pending", "schedule": 30},
    "purge-personal-data": {"task": "checkpoints.purge_personal_data", "schedule": 3600},
    # PostgreSQL: month partitions of entries and daily reports exist ahead of time (lianqi/core/partitioning.py).
    "ensure-partitions": {"task": "core.ensure_partitions", "schedule": 86400},
    # Idempotent per plan period, so running it hourly generates each period's inspections once.
    "generate-recurring-inspections": {"task": "inspections.generate_recurring", "schedule": 3600},
    # Daily reports: reminders after the due hour, rollups of today and yesterday kept fresh.
    "daily-report-reminders": {"task": "reporting.remind_missing", "schedule": 900},
    "refresh-rollups": {"task": "reporting.refresh_rollups", "schedule": 600},
    "sync-tracking": {"task": "reporting.sync_tracking", "schedule": 3600},
    # Bulletins due by their subscriptions (weekly, monthly, half-year), generated once each.
    "scheduled-bulletins": {"task": "dashboards.scheduled_bulletins", "schedule": 3600},
    # Does nothing; its runs (jobs.PeriodicRun) show that beat and workers are alive.
    "heartbeat": {"task": "jobs.heartbeat", "schedule": env_int("HEARTBEAT_SECONDS", 300, minimum=1)},
}
# Every task above has the base lianqi.jobs.periodic.PeriodicTask: with this scheduler stamping
# each send with its slot, a job runs once per slot however many beats are up (docs/deploy.md).
CELERY_BEAT_SCHEDULER = "lianqi.jobs.periodic:SlotScheduler"

# Without a broker, work that must not hold up a request (webhooks) runs on local threads.
BACKGROUND_THREADS = env_bool("LIANQI_BACKGROUND_THREADS", not TESTING)

# --- Notifications.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
SMS_BACKEND = env_str("SMS_BACKEND", "lianqi.notifications.sms.LoggingSMSBackend")

# --- REST API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "lianqi.core.api.authentication.LanguageTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies are bounded by DATA_UPLOAD_MAX_MEMORY_SIZE like form bodies (lianqi/core/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "lianqi.core.api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "lianqi.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lianqi.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "public_form": "10/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lianqi API",
    "DESCRIPTION": "REST API of Lianqi (联企): enterprise supervision and service for city and district offices.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Error answers ({"code", "message", "errors"}) documented on every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lianqi.core.api.schema.document_errors",
    ],
    # Several models have a "source" or "status" field with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "HazardSourceEnum": "lianqi.hazards.choices.HazardSource",
        "HazardStatusEnum": "lianqi.hazards.choices.HazardStatus",
        "TaskSourceEnum": "lianqi.tasks.choices.TaskSource",
        "TaskAssignmentStatusEnum": "lianqi.tasks.choices.AssignmentStatus",
        "InspectionKindEnum": "lianqi.inspections.choices.InspectionKind",
        "InspectionStatusEnum": "lianqi.inspections.choices.InspectionStatus",
        "ChecklistTemplateKindEnum": "lianqi.checklists.choices.TemplateKind",
        "HazardGradeEnum": "lianqi.hazards.choices.HazardGrade",
        "HazardCategoryEnum": "lianqi.hazards.choices.HazardCategory",
        "CheckpointKindEnum": "lianqi.checkpoints.choices.CheckpointKind",
        "CheckpointAlertStatusEnum": "lianqi.checkpoints.choices.AlertStatus",
        "KeyPersonVerificationStatusEnum": "lianqi.checkpoints.choices.VerificationStatus",
        "KeyPersonVerificationResultEnum": "lianqi.checkpoints.choices.VerificationResult",
        "AppealStatusEnum": "lianqi.appeals.choices.AppealStatus",
        "AppealChannelEnum": "lianqi.appeals.choices.Channel",
    },
}

# --- Domain settings.
FEVER_THRESHOLD = env_float("FEVER_THRESHOLD", 37.3, minimum=36.0, maximum=40.0)
APPEAL_OBJECTION_HOURS = env_int("APPEAL_OBJECTION_HOURS", 24, minimum=1)
# Daily reports (issue 8): due by this hour of the report date (data as of the previous 24:00);
# a value more than JUMP_FACTOR times (or less than 1/JUMP_FACTOR of) yesterday's asks for confirmation.
DAILY_REPORT_DUE_HOUR = env_int("DAILY_REPORT_DUE_HOUR", 12, minimum=1, maximum=24)
DAILY_REPORT_JUMP_FACTOR = env_float("DAILY_REPORT_JUMP_FACTOR", 3.0, minimum=1.1, maximum=100.0)
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 28, minimum=1)
# PostgreSQL: month partitions kept ready after the current month (daily job ensure-partitions).
PARTITION_MONTHS_AHEAD = env_int("PARTITION_MONTHS_AHEAD", 3, minimum=1, maximum=24)
# The key of the HMAC that turns ID numbers and phones into matching hashes (checkpoint entries,
# key-person lists). Keep it secret and stable: changing it breaks matching against stored hashes.
PERSONAL_DATA_HASH_KEY = env_str(
    "PERSONAL_DATA_HASH_KEY",
    hashlib.sha256(b"lianqi-personal-data:" + _DEV_SECRET.encode()).hexdigest() if DEBUG else None,
)
if not DEBUG and len(PERSONAL_DATA_HASH_KEY) < 32:
    raise ImproperlyConfigured("PERSONAL_DATA_HASH_KEY must be a random value of 32+ characters when DEBUG is off.")
# Public self-registration at a checkpoint (scan the QR code, no login): per client address.
CHECKPOINT_SELF_REGISTRATION_LIMIT = env_int("CHECKPOINT_SELF_REGISTRATION_LIMIT", 10, minimum=1)
# Other pages open to everybody, per client address: public hazard reports per hour, and
# reads of public pages (spot-check results, API schema) per minute.
PUBLIC_REPORT_LIMIT = env_int("PUBLIC_REPORT_LIMIT", 5, minimum=1)
PUBLIC_PAGE_LIMIT = env_int("PUBLIC_PAGE_LIMIT", 120, minimum=1)
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# Imports and exports larger than these run as background jobs with a progress page.
IMPORT_INLINE_MAX_ROWS = env_int("IMPORT_INLINE_MAX_ROWS", 2000, minimum=1)
EXPORT_INLINE_MAX_ROWS = env_int("EXPORT_INLINE_MAX_ROWS", 5000, minimum=1)
# Map tiles, e.g. "https://tile.example.gov.cn/{z}/{x}/{y}.png"; empty: points on a blank background (offline).
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")

# --- Logging: JSON lines with the request id in production, text in development (lianqi/core/logs.py).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not supported; use json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "lianqi.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "lianqi.core.logs.JsonFormatter"},
        "text": {"()": "lianqi.core.logs.TextFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # SQL with its parameters (hashes, personal data) is never logged, whatever LOG_LEVEL says.
    "loggers": {"django.db.backends": {"level": "INFO"}, "celery.app.trace": {"level": "WARNING"}},
}
