"""Settings shared by every profile, read from the environment (django-environ).

With no environment variable set at all, the portal runs on its embedded defaults:
SQLite under ``var/``, Celery tasks executed in-process, DEBUG on and a development
secret key. ``DATABASE_URL`` switches to PostgreSQL (psycopg2), ``CELERY_BROKER_URL`` or
``REDIS_URL`` to Redis with real workers. ``production.py`` tightens all of this and
refuses to start without its secrets.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
# Where the embedded database and uploaded files live (outside the web root).
VAR_DIR = Path(env("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

# --- Core ---------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Development-only key: production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-songjiang-pilot-do-not-use")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

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
    "drf_spectacular_sidecar",  # Swagger UI served locally: no CDN on an offline intranet
    "django_celery_beat",
    "import_export",
    # Two-factor log-in (accounts/two_factor.py): authenticator apps (TOTP) and recovery codes (static tokens).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Ahead of simple_history so that its refusals of clean_old_history and clean_duplicate_history win:
    # history is the audit trail and is never pruned (trail/pruning.py).
    "trail",
    "simple_history",
    # The portal's own apps, in the order the programme runs (docs/architecture.md "Layers").
    "core",
    "accounts",
    "notifications",
    "books",
    "enterprises",
    "providers",
    "events",
    "diagnostics",
    "funding",
    "dataquality",
    "reports",
    "worklists",
    "dossiers",
    "unitassessments",
    "selfevaluations",
    "unitreports",
]
# Demo and benchmark data (the demo app: seed_demo, generate_scale, the factories), imported by no product
# module. On in this embedded default (`make run`) and the tests; production.py turns it off unless
# PORTAL_DEMO=1. Off, the app is not installed and core's guard command answers `seed_demo` with a refusal.
PORTAL_DEMO = env.bool("PORTAL_DEMO", default=True)


def installed_apps(*, demo):
    """INSTALLED_APPS with the demo app when ``demo``: ahead of core, so that its ``seed_demo`` wins over
    core's guard command of the same name (Django takes a command from the first app that has it)."""
    apps = [app for app in INSTALLED_APPS if app != "demo"]
    if demo:
        apps.insert(apps.index("core"), "demo")
    return apps


INSTALLED_APPS = installed_apps(demo=PORTAL_DEMO)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "songjiang_pilot.urls"
WSGI_APPLICATION = "songjiang_pilot.wsgi.application"
ASGI_APPLICATION = "songjiang_pilot.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Embedded default: SQLite under var/. DATABASE_URL=postgres://... switches to PostgreSQL
# through psycopg2 (the only PostgreSQL driver installed, see docs/stack.md).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The portal's queries are short and its report aggregates run in well under a second: JIT
    # compilation (on by default, triggered by their estimated cost) cost more than it saved, up to
    # 6× at 10,000 enterprises (bench/README.md). Set jit=on in PGOPTIONS-free deployments to compare.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", env("PORTAL_PG_OPTIONS", default="-c jit=off"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database (docs/stack.md "SQLite"): write-ahead logging, so readers never wait for a writer and a
    # writer never waits for readers; a write waits up to PORTAL_SQLITE_BUSY_SECONDS for another writer instead of
    # failing at once with "database is locked"; and a transaction takes the write lock when it begins
    # (IMMEDIATE), so two transactions that read and then write cannot deadlock, which the busy timeout cannot
    # resolve. Long writes (roster imports) commit chunk by chunk on SQLite, so no write waits long.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": env.int("PORTAL_SQLITE_BUSY_SECONDS", default=30),
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Cache (the shared cache holds log-in throttling counters) ------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis, degrading to a per-process memory cache while Redis is down (songjiang_pilot/cache.py);
            # the timeouts keep a hung Redis from hanging a request.
            "BACKEND": "songjiang_pilot.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("DJANGO_CACHE_PREFIX", default="sjp"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sjp"}}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "sjp_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files live outside the web root (STATIC_ROOT) and are served only through
# core.files.serve_protected_file after a permission check. MEDIA_URL is a prefix that no
# URL pattern and no whitenoise root serves (tests prove a request for it answers 404).
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The embedded profile has no collectstatic step: whitenoise serves the files from the finders, with DEBUG on
# (`make dev`) or off (`make run`, so a wrong address shows the portal's own 404). production.py turns it off.
WHITENOISE_USE_FINDERS = True

# Upload limits: one figure for the whole portal, checked by core.files.validate_upload.
PORTAL_MAX_UPLOAD_BYTES = env.int("PORTAL_MAX_UPLOAD_MB", default=20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Amounts above this figure (元) are typed twice on the page forms (core.forms.DoubleEntryMixin); the API
# is not affected.
PORTAL_DOUBLE_ENTRY_ABOVE_YUAN = env.int("PORTAL_DOUBLE_ENTRY_ABOVE_YUAN", default=500_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# --- Sessions, CSRF and headers for a government system -------------------------------
SESSION_COOKIE_NAME = "sjp_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_AGE", default=8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_NAME = "sjp_csrftoken"
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Behind the district's TLS proxy, REMOTE_ADDR is the proxy: with N trusted proxies in front,
# the client is the N-th address from the right of X-Forwarded-For (core.services.client_address).
PORTAL_TRUSTED_PROXY_COUNT = env.int("PORTAL_TRUSTED_PROXY_COUNT", default=0)

# Log-in throttling: failures counted per (user name, client address) in the shared cache.
LOGIN_FAILURE_LIMIT = env.int("PORTAL_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("PORTAL_LOGIN_LOCKOUT_SECONDS", default=15 * 60)

# Two-factor log-in (accounts/two_factor.py, docs/api.md "Tokens"): the roles, by their codes, that log in with
# a code of an authenticator app after the password, e.g. "admin,finance_officer". Off (empty) by default.
PORTAL_TWO_FACTOR_ROLES = env.list("PORTAL_TWO_FACTOR_ROLES", default=[])
# The name the authenticator app shows next to the codes.
OTP_TOTP_ISSUER = env("PORTAL_TWO_FACTOR_ISSUER", default="松江试点")
# django-otp's own per-device delays are off: wrong codes are counted like wrong passwords, per user name and
# address (LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_SECONDS; accounts/throttle.py).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The Django admin never shows an authenticator's secret key or its QR code (its config and qrcode pages answer
# 403): a lost phone is reset from the user's page in the portal, and the user enrols again.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# API tokens end this many hours after they are issued (docs/api.md "Tokens").
PORTAL_TOKEN_TTL_HOURS = env.int("PORTAL_TOKEN_TTL_HOURS", default=720)

# --- REST framework ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous API call answers 401 with WWW-Authenticate.
        "accounts.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.portal_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "松江区中小企业数字化转型城市试点 API",
    "DESCRIPTION": "Songjiang District SME digital-transformation city pilot portal, REST API v1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Errors every operation can answer, documented once (core/api/schema.py); the default hook stays first.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.schema.document_errors"],
    "ENUM_NAME_OVERRIDES": {
        "WithdrawalReasonEnum": "enterprises.choices.WithdrawalReason",
        "UnitKindEnum": "core.models.OrgUnit.Kind",
        "ProjectActionEnum": "funding.choices.ProjectAction",
        "DiagnosisActionEnum": "diagnostics.choices.DiagnosisAction",
        "RecognitionKindEnum": "funding.choices.RecognitionKind",
        "DeadlineKindEnum": "diagnostics.choices.DeadlineKind",
        "ProviderEventKindEnum": "providers.choices.ProviderEventKind",
        "NotificationKindEnum": "notifications.choices.NotificationKind",
        "AssessmentStageEnum": "diagnostics.choices.Stage",
        "SelfEvaluationStageEnum": "selfevaluations.choices.Stage",
        "SelfEvaluationStageCodeEnum": [("midterm", "midterm"), ("final", "final")],
        "EventKindEnum": "events.choices.EventKind",
        "ImportRowActionEnum": [
            ("create", "create"),
            ("update", "update"),
            ("unchanged", "unchanged"),
            ("error", "error"),
        ],
    },
}

# --- Celery -----------------------------------------------------------------------------
# No broker configured -> tasks run in-process (the embedded default of `make run`).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_RESULT_EXPIRES = 24 * 60 * 60
# Shorter than an hour: an unacknowledged task of a dead worker is redelivered within it.
# The socket timeouts keep a hung Redis from hanging the web process that publishes a task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=45 * 60),
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
}
# Publishing fails fast when the broker is down (one quick retry, then the error): the job or
# snapshot stays pending and requeue_expired_jobs_task sends it once Redis is back (core/jobs.py).
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 3
CELERY_REDIS_SOCKET_TIMEOUT = 10
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker outlives a Redis outage of any length (Celery's default gives up, and exits, after 100 retries).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "requeue-expired-jobs": {
        "task": "core.tasks.requeue_expired_jobs_task",
        "schedule": env.int("PORTAL_REQUEUE_EVERY_SECONDS", default=5 * 60),
    },
    # A district-wide report snapshot of every begun period, as of the new day (CELERY_TIMEZONE).
    # The audit trail: seal any history row a crash left outside the chain; verify and log the head daily.
    "seal-audit-trail": {"task": "trail.tasks.seal_unsealed_task", "schedule": crontab(minute=17)},
    "verify-audit-trail": {"task": "trail.tasks.verify_and_log_head_task", "schedule": crontab(hour=1, minute=30)},
    # Notifications: e-mail that could not be sent is retried; the daily reminder and escalation pass at 08:00.
    "drain-email-outbox": {
        "task": "notifications.tasks.drain_outbox_task",
        "schedule": env.int("PORTAL_EMAIL_RETRY_EVERY_SECONDS", default=5 * 60),
    },
    "send-reminders": {"task": "notifications.tasks.send_reminders_task", "schedule": crontab(hour=8, minute=0)},
    "weekly-district-digest": {
        "task": "unitreports.tasks.weekly_digest_task",
        "schedule": crontab(day_of_week="mon", hour=8, minute=30),
    },
    # The data-quality centre's heavier findings (near-duplicate names, outliers) and each unit's score.
    "refresh-data-quality": {"task": "dataquality.tasks.refresh_findings_task", "schedule": crontab(hour=3, minute=0)},
    "nightly-report-snapshots": {
        "task": "reports.tasks.nightly_snapshots_task",
        "schedule": crontab(hour=2, minute=0),
    },
}
# The data-quality centre flags an enterprise in the programme not updated for this many days as stale.
PORTAL_DATA_QUALITY_STALE_DAYS = env.int("PORTAL_DATA_QUALITY_STALE_DAYS", default=365)
# A running job's lease; a job whose lease expired is taken over by the next delivery.
PORTAL_JOB_LEASE_SECONDS = env.int("PORTAL_JOB_LEASE_SECONDS", default=10 * 60)
# A job (or report snapshot) still pending after this long may have lost its message (the broker was
# down when it was sent): requeue_expired_jobs_task sends it again; a repeated delivery does nothing.
PORTAL_JOB_STALE_PENDING_SECONDS = env.int("PORTAL_JOB_STALE_PENDING_SECONDS", default=10 * 60)

# --- E-mail (notifications) ----------------------------------------------------------------
# EMAIL_URL (django-environ: smtp://user:password@host:port, smtp+tls://… for STARTTLS, smtp+ssl://… for TLS)
# turns e-mail on; without it notifications stay in the portal and no outbox rows are written.
EMAIL_URL = env("EMAIL_URL", default="")
PORTAL_EMAIL_ENABLED = bool(EMAIL_URL)
if PORTAL_EMAIL_ENABLED:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="songjiang-pilot@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the portal that mail links back to.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# A WeCom (企业微信) group robot: notifications of the kinds listed also post a markdown message to this webhook,
# through an outbox retried like the e-mail (off when empty).
PORTAL_WECOM_WEBHOOK_URL = env("PORTAL_WECOM_WEBHOOK_URL", default="")
PORTAL_WECOM_KINDS = env.list(
    "PORTAL_WECOM_KINDS",
    default=[
        "diagnosis_submitted",
        "project_filed",
        "acceptance_requested",
        "project_passed",
        "project_failed",
        "closure",
        "unit_report_submitted",
        "escalation",
    ],
)
# A message the mail server refused this many times is given up (marked failed, kept in the outbox).
PORTAL_EMAIL_MAX_ATTEMPTS = env.int("PORTAL_EMAIL_MAX_ATTEMPTS", default=20)
# Deadlines the reminder pass reads beyond the district's own (funding/reminders.py): an acceptance inspection is
# due this many days after it was requested; a payment request is approved, and an approved payment paid, within
# this many days.
PORTAL_ACCEPTANCE_DUE_DAYS = env.int("PORTAL_ACCEPTANCE_DUE_DAYS", default=30)
PORTAL_PAYMENT_STEP_DAYS = env.int("PORTAL_PAYMENT_STEP_DAYS", default=7)

# How many days an approved exception to a period close lets corrections through (docs/architecture.md
# "Period close").
PORTAL_CLOSURE_EXCEPTION_DAYS = env.int("PORTAL_CLOSURE_EXCEPTION_DAYS", default=7)
# Days after an event by which its organiser uploads the sign-in sheet; later it is overdue (events.reminders).
PORTAL_EVENT_SIGN_IN_DAYS = env.int("PORTAL_EVENT_SIGN_IN_DAYS", default=3)

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

PORTAL_DISTRICT_CODE = "310117"
