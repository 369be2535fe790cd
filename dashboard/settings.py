"""Every setting, from the environment. Nothing set = the laptop demo (SQLite, in-process tasks)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """The variable's value; set-but-empty counts as unset."""
    return os.environ.get(name) or default


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_required("SECRET_KEY") if not DEBUG else env("SECRET_KEY", "dev-insecure-key")
if DEBUG:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["localhost", "127.0.0.1", "[::1]", "testserver"]
else:
    ALLOWED_HOSTS = [h.strip() for h in env_required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "dashboard",
    "aggregates",
    "roadmap",
]

MIDDLEWARE = [
    "dashboard.logs.RequestLogMiddleware",  # first: it times and names everything after it
    "django.middleware.security.SecurityMiddleware",
    "dashboard.json_gzip.JsonGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dashboard.request_guard.RefuseNulMiddleware",
    "dashboard.conflicts.UniqueRaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

if not DEBUG:
    # With DEBUG off (production and the demo) the site serves its collected static files itself.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboard.context_processors.roles",
                "dashboard.context_processors.nav_section",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's SQLite: wait for a writer instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")  # unset: tasks run in-process, locks and cache in memory
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down or hung costs a request at most this long, never a hang.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None  # outcomes live in our own models, not the result backend
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True  # an in-process task's error reaches its caller
CELERY_TASK_ACKS_LATE = True  # acknowledged only once finished...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ...and re-queued if the worker process died
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a long sync must not sit on queued tasks
CELERY_TASK_SOFT_TIME_LIMIT, CELERY_TASK_TIME_LIMIT = 540, 600
# Redis gives a task back to the queue when no worker acknowledged it within this time (a worker
# killed mid-task): keep it above the hard limit, or a slow task would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(
        env("STACKBOARD_BROKER_VISIBILITY_TIMEOUT", str(2 * CELERY_TASK_TIME_LIMIT)) or 0
    )
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "dashboard.tasks.record_worker_heartbeat", "schedule": 60.0},
    # Each connected cloud has its own interval (Cloud.sync_interval_minutes); this finds due ones.
    "enqueue-due-syncs": {"task": "aggregates.tasks.enqueue_due_syncs", "schedule": 60.0},
    # Utilisation: local clouds sampled every 15 minutes (connected ones at each sync);
    # retention and downsampling hourly.
    "utilisation-sample-local": {"task": "aggregates.tasks.sample_local_clouds", "schedule": 900.0},
    "utilisation-downsample": {
        "task": "aggregates.tasks.downsample_utilisation",
        "schedule": 3600.0,
    },
}
# A cloud's sync lock expires after this, so a killed worker blocks the next sync no longer.
STACKBOARD_SYNC_LOCK_SECONDS = int(
    env("STACKBOARD_SYNC_LOCK_SECONDS", str(CELERY_TASK_TIME_LIMIT + 60)) or 0
)
# A sync that would remove more than this share of a cloud's hosts, aggregates or flavors
# holds those removals until an admin confirms or the next sync agrees (1: never holds).
STACKBOARD_SYNC_HOLD_SHARE = float(env("STACKBOARD_SYNC_HOLD_SHARE", "0.1") or 0.1)
# /metrics (Prometheus) answers only a scrape that sends this as a Bearer token; unset: off (404).
STACKBOARD_METRICS_TOKEN = env("STACKBOARD_METRICS_TOKEN", "") or ""
# Hosts, aggregates and flavors the compute API stopped listing are kept (hidden) this long.
STACKBOARD_SYNC_GONE_RETENTION_DAYS = int(env("STACKBOARD_SYNC_GONE_RETENTION_DAYS", "30") or 30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:overview"
LOGOUT_REDIRECT_URL = "dashboard:overview"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# The demo serves static files from their source folders, so it starts without collecting
# (and compressing) them first; production serves the collected, hashed and compressed copies.
STATIC_FROM_SOURCE = DEBUG or env_bool("STACKBOARD_STATIC_FROM_SOURCE", default=False)
WHITENOISE_USE_FINDERS = STATIC_FROM_SOURCE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if STATIC_FROM_SOURCE
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API request then gets 401 with WWW-Authenticate, not 403.
        "dashboard.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "dashboard.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "dashboard.request_guard.JSONParser",
        "dashboard.request_guard.FormParser",
        "dashboard.request_guard.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "dashboard.throttling.AnonRateThrottle",
        "dashboard.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("STACKBOARD_THROTTLE_ANON", "600/minute"),
        "user": env("STACKBOARD_THROTTLE_USER", "6000/minute"),
    },
    "EXCEPTION_HANDLER": "dashboard.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stackboard API",
    "DESCRIPTION": (
        "Clouds, hosts, aggregates, availability zones and flavors as Nova defines them; the "
        "placement preview; the roadmap, meetups and board. Every 4xx answers "
        '`{"errors": [{"field": ..., "message": ...}]}`; `field` is null when the error is not '
        "about one field. Authenticate with a session or `Authorization: Token <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dashboard.api.schema.declare_errors_and_json_bodies",
    ],
    # Several models have a `kind` (or a `status`); give each vocabulary its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "CloudKindEnum": "aggregates.choices.CloudKind",
        "SyncStatusEnum": "aggregates.choices.SyncStatus",
        "MeetupKindEnum": "roadmap.choices.MeetupKind",
        "MilestoneKindEnum": "roadmap.choices.MilestoneKind",
    },
}

# Scripts only from our own static files (no inline code, no CDN). Styles may be inline: templates
# size bars and heatmap cells with style attributes, and Swagger UI injects its own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Sign-in attempts allowed per client address and username within the window, before a 429.
STACKBOARD_SIGNIN_ATTEMPTS = int(env("STACKBOARD_SIGNIN_ATTEMPTS", "5") or 5)
STACKBOARD_SIGNIN_WINDOW_SECONDS = int(env("STACKBOARD_SIGNIN_WINDOW_SECONDS", "900") or 900)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # The demo serves plain HTTP on 127.0.0.1, where a client may not send a Secure cookie back.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("STACKBOARD_SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env_bool("STACKBOARD_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("STACKBOARD_HSTS_SECONDS", "31536000") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOG_LEVEL = env("STACKBOARD_LOG_LEVEL", "INFO")
# One line per request and per task run (dashboard/logs.py): JSON for log collectors in production,
# plain text to read in the demo's terminal.
LOG_FORMAT = env("STACKBOARD_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"STACKBOARD_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "dashboard.logs.json_formatter"},
        "text": {"()": "dashboard.logs.text_formatter"},
    },
    "filters": {"request_id": {"()": "dashboard.logs.RequestIdFilter"}},
    # The handler's level also applies to records propagated from Django's own loggers.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "level": LOG_LEVEL,
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # stackboard.request and stackboard.task already say what these would repeat at INFO
    # (runserver's access line, Django's 4xx warnings, Celery's received/succeeded lines);
    # their errors still come through, tracebacks included.
    "loggers": {
        name: {"level": "WARNING"}
        for name in ("django.server", "celery.app.trace", "celery.worker.strategy")
    }
    | {"django.request": {"level": "ERROR"}},
}
