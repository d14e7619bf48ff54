"""ReliefOps settings: one module, configured by environment variables.

Embedded default (no variables set): SQLite in ``var/``, Celery tasks run inline, DEBUG on
for local work. Production mode (``RELIEFOPS_ENV=production`` or ``DEBUG=0``) requires
``SECRET_KEY`` (50+ characters) and ``ALLOWED_HOSTS`` and refuses to start without them; it
turns on HTTPS-only cookies, the redirect to HTTPS and HSTS (README, "Configuration").
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("RELIEFOPS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


PRODUCTION = os.environ.get("RELIEFOPS_ENV", "").lower() == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
# Production mode: a real deployment (explicitly, or because DEBUG is off).
PRODUCTION_MODE = PRODUCTION or not DEBUG

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION_MODE:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off or RELIEFOPS_ENV=production."
        )
    SECRET_KEY = "insecure-development-key-only-for-local-use"  # noqa: S105 - dev only
elif PRODUCTION_MODE and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    # The same rule as Django's deploy check (security.W009), enforced at start-up.
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 characters with at least 5 different ones; generate "
        "one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# Older secret keys still accepted (Django's signing and the field encryption): rotate by
# moving the old SECRET_KEY here, then run `reliefops encryption_rotate` (docs/operations.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

# Field encryption (django-fernet-encrypted-fields): keys are derived from SECRET_KEY (and
# its fallbacks, for rotation) with these salts (comma-separated; the first encrypts, all
# decrypt). A salt is not a secret; dropping one that stored values use makes them
# unreadable, so `reliefops encryption_rotate` first.
SALT_KEY = env_list("RELIEFOPS_FIELD_SALT", ["reliefops-field-encryption-v1"])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION_MODE and not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Domain apps, lowest layer first (imports point down; import-linter keeps it so, see
# pyproject.toml). URLs, demo data and exchange kinds are discovered in this order.
DOMAIN_APPS = [
    "reliefops.core",
    "reliefops.organisations",
    "reliefops.places",
    "reliefops.accounts",
    "reliefops.stock",
    "reliefops.crossings",
    "reliefops.notices",
    "reliefops.needs",
    "reliefops.people",
    "reliefops.logistics",
    "reliefops.teams",
    "reliefops.intake",
    "reliefops.dayplans",
    "reliefops.coordination",
    "reliefops.reports",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reliefops.core.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "reliefops.core.sessions.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "reliefops.accounts.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "reliefops.core.middleware.ForcePasswordChangeMiddleware",
    "axes.middleware.AxesMiddleware",
    # Late, so replays get the same security headers: Idempotency-Key on API POSTs.
    "reliefops.core.idempotency.IdempotencyMiddleware",
    # Last, so that its process_exception sees a view's error first (the one error path).
    "reliefops.core.middleware.ErrorPageMiddleware",
]

ROOT_URLCONF = "reliefops.urls"
WSGI_APPLICATION = "reliefops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reliefops.core.context_processors.navigation",
            ],
            "builtins": ["reliefops.core.templatetags.json_script"],  # a faster json_script
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL is set.
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'reliefops.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", "") or DEFAULT_SQLITE
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# A PostgreSQL read replica (streaming replication) for the heavy read-only pages: the
# dashboard, the situation report, the map layers and the exports (reliefops.core.replica).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["reliefops.core.replica.ReplicaRouter"]
# Cache: the report sections (dashboard, situation report) are kept for
# RELIEFOPS_REPORT_CACHE_SECONDS per scope (reliefops.core.report_sections). By default each
# process keeps its own (local memory); RELIEFOPS_CACHE_URL=redis://… shares one between the
# web processes and workers (a stale section is then shown while a job rebuilds it).
RELIEFOPS_CACHE_URL = os.environ.get("RELIEFOPS_CACHE_URL", "")
if RELIEFOPS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": RELIEFOPS_CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
RELIEFOPS_REPORT_CACHE_SECONDS = env_int(
    "RELIEFOPS_REPORT_CACHE_SECONDS", 0 if os.environ.get("RELIEFOPS_TEST_RUN") else 60
)
RELIEFOPS_REPORT_CACHE_STALE_SECONDS = env_int("RELIEFOPS_REPORT_CACHE_STALE_SECONDS", 600)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Who may do what, where: the policy behind reliefops.core.permissions (roles × actions,
# memberships, areas). Loaded once with import_string, like the backends above.
RELIEFOPS_ACCESS_POLICY = "reliefops.access.policy.MembershipPolicy"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout (django-axes): failures are counted per username *and* client address
# together, so failures from one address never lock the user out at another. Pages and the
# token endpoint both sign in through authenticate(), so both are counted; a locked-out
# sign-in is answered by reliefops.accounts.authentication.lockout_response (429).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the failure that locked the combination out; attempts during it
# are refused without extending it, so Retry-After is a true upper bound.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "reliefops.accounts.authentication.lockout_response"
# The client address (django-ipware). Default: the connection's address (REMOTE_ADDR).
# Behind a reverse proxy every client has the proxy's address; there set
# AXES_IPWARE_META_PRECEDENCE_ORDER=HTTP_X_FORWARDED_FOR,REMOTE_ADDR and
# AXES_IPWARE_PROXY_ORDER=right-most (the address the proxy appended; entries a client
# sends itself stay to the left and are ignored). Only do so when the app is reachable
# through the proxy alone.
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(
    env_list("AXES_IPWARE_META_PRECEDENCE_ORDER", ["REMOTE_ADDR"])
)
AXES_IPWARE_PROXY_ORDER = os.environ.get("AXES_IPWARE_PROXY_ORDER", "") or "left-most"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0) or None
AXES_IPWARE_PROXY_TRUSTED_IPS = env_list("AXES_IPWARE_PROXY_TRUSTED_IPS", []) or None
if AXES_IPWARE_PROXY_ORDER not in {"left-most", "right-most"}:
    raise ImproperlyConfigured("AXES_IPWARE_PROXY_ORDER must be left-most or right-most.")

# Internationalisation: every UI string is translatable; place and organisation names are
# stored per language and shown in the user's language (reliefops.core.i18n.localized).
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [
    ("en", _("English")),
    ("az", _("Azerbaijani")),
    ("ru", _("Russian")),
    ("hy", _("Armenian")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Baku")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Files in (reliefops.core.exchange.limits): an upload (page, API) or a file given to
# ``reliefops import`` over the limit is refused before it is parsed; an XLSX is opened only
# when its archive declares at most IMPORT_XLSX_MAX_UNCOMPRESSED_MB unpacked and no member
# is compressed more than IMPORT_XLSX_MAX_RATIO : 1; a cell over IMPORT_MAX_CELL_CHARS is a
# row error.
IMPORT_MAX_UPLOAD_BYTES = int(float(os.environ.get("IMPORT_MAX_UPLOAD_MB", "25")) * 2**20)
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = int(
    float(os.environ.get("IMPORT_XLSX_MAX_UNCOMPRESSED_MB", "100")) * 2**20
)
IMPORT_XLSX_MAX_RATIO = float(os.environ.get("IMPORT_XLSX_MAX_RATIO", "100"))
IMPORT_MAX_CELL_CHARS = int(os.environ.get("IMPORT_MAX_CELL_CHARS", "10000"))
FILE_UPLOAD_HANDLERS = [
    "reliefops.core.exchange.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
WHITENOISE_USE_FINDERS = DEBUG

# Map: tiles are off by default (no external URLs); e.g. https://tiles.example.org/{z}/{x}/{y}.png
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")

# Content security policy: everything is served by the app itself (the API docs too:
# drf-spectacular's split Swagger view loads its script as a file). No plugins, no framing,
# no <base> elsewhere, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", *([MAP_TILE_URL.split("/{")[0]] if MAP_TILE_URL else [])],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# API tokens (``Authorization: Token …``) expire API_TOKEN_TTL_HOURS after they were issued;
# the token endpoint issues a new one then, and DELETE on it revokes the caller's token.
# Token authentication comes first so an unauthenticated call is a 401 with
# ``WWW-Authenticate: Token``.
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 24)
REST_FRAMEWORK = {
    # Token first: DRF answers an unauthenticated call with the first class's
    # WWW-Authenticate challenge, so it is a 401 (session first would make it a 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "reliefops.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "reliefops.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "reliefops.core.api.ModelOrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "reliefops.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "reliefops.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ReliefOps API",
    "DESCRIPTION": "Operations platform for humanitarian coordination.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Choice sets that share a field name get a name of their own (deploy check W001).
    "ENUM_NAME_OVERRIDES": {
        "PlaceKindEnum": "reliefops.places.choices.PlaceKind",
        "FacilityStatusEnum": "reliefops.places.choices.FacilityStatus",
        "RoadStatusEnum": "reliefops.places.choices.RoadStatus",
        "ImportRunStatusEnum": "reliefops.intake.choices.RunStatus",
        "ImportRunSourceEnum": "reliefops.intake.choices.RunSource",
        "ImportModeEnum": "reliefops.intake.choices.RunMode",
        "LossReasonEnum": "reliefops.logistics.choices.LossReason",
        "PassageOutcomeEnum": "reliefops.logistics.choices.PassageOutcome",
        "VisitOutcomeEnum": "reliefops.teams.choices.VisitOutcome",
    },
}

# Background jobs: inline (eager) unless a broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task whose worker died (killed, machine lost) is unacknowledged; Redis delivers it again
# once it has been so for this long (a worker starting, or its sweep every 100 s, restores
# it). Longer than the longest job (a plan run's limit is at most 3600 s), or a task still
# running would be delivered twice (harmless, each job is safe to run twice, but wasted).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("RELIEFOPS_TASK_REDELIVER_SECONDS", 3900),
}
# Imports of files at least this large (rows or bytes) run as a background job; the upload
# is kept under IMPORT_SPOOL_DIR until the job has read it.
IMPORT_BACKGROUND_ROWS = env_int("RELIEFOPS_IMPORT_BACKGROUND_ROWS", 5000)
IMPORT_BACKGROUND_BYTES = env_int("RELIEFOPS_IMPORT_BACKGROUND_BYTES", 2 * 1024 * 1024)
IMPORT_SPOOL_DIR = VAR_DIR / "imports"
IMPORT_TASK_QUEUE = os.environ.get("RELIEFOPS_IMPORT_QUEUE", "")  # "": the default queue

# HTTPS. Production mode expects a TLS-terminating reverse proxy in front of gunicorn:
# cookies are HTTPS-only, plain HTTP is redirected (except /healthz, for load-balancer
# probes) and HSTS is sent. Django must know a request came over HTTPS: gunicorn trusts
# X-Forwarded-Proto from FORWARDED_ALLOW_IPS (default 127.0.0.1, a proxy on the same host);
# for a proxy elsewhere set SECURE_PROXY_SSL_HEADER=1, and make sure the proxy sets
# X-Forwarded-Proto itself (overwriting a client's), or a client could claim HTTPS.
SESSION_COOKIE_HTTPONLY = True
#: Roles that sign in with a second factor (TOTP; reliefops.accounts.two_factor). Production
#: default: administrators, coordinators, data-protection officers; elsewhere none (a user's
#: own ``otp_required`` flag still applies: the demo sets it for its data-protection officer).
RELIEFOPS_OTP_ROLES = env_list(
    "RELIEFOPS_OTP_ROLES", ["admin", "coordinator", "dpo"] if PRODUCTION_MODE else []
)
OTP_TOTP_ISSUER = "ReliefOps"
#: A signed-in session ends after this long without activity, and this long after sign-in
#: whatever the activity (reliefops.core.sessions; polling requests are not activity).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("RELIEFOPS_SESSION_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("RELIEFOPS_SESSION_MAX_HOURS", 12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = PRODUCTION_MODE
CSRF_COOKIE_SECURE = PRODUCTION_MODE
LANGUAGE_COOKIE_SECURE = PRODUCTION_MODE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION_MODE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION_MODE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# The one deploy check that is silenced, and only while HSTS preload is off (the default):
# preloading asks the browsers to hard-code HTTPS for the domain, a commitment that takes
# months to undo, so it is the operator's explicit choice (SECURE_HSTS_PRELOAD=1 and a
# submission to the preload list), not a default. Every other deploy check must pass.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # a task that ran (inline on the embedded default, or in a worker) is no news
        "celery.app.trace": {"level": "WARNING"},
    },
}

# Test runs: a database name of their own (set by the root conftest.py).
if os.environ.get("RELIEFOPS_TEST_RUN"):
    DATABASES["default"]["TEST"] = {"NAME": f"test_reliefops_{os.environ['RELIEFOPS_TEST_RUN']}"}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["TEST"]["NAME"] = str(
            VAR_DIR / f"test_{os.environ['RELIEFOPS_TEST_RUN']}.sqlite3"
        )

# --- added for submissions: field submissions (reliefops.intake.submissions)
# A submission waiting for a record it names (a round, a convoy) is refused after this long.
SUBMISSION_WAIT_LIFETIME = timedelta(hours=env_int("RELIEFOPS_SUBMISSION_WAIT_HOURS", 7 * 24))
# At most this many records in one POST /api/v1/submissions/batch/.
SUBMISSION_BATCH_MAX = env_int("RELIEFOPS_SUBMISSION_BATCH_MAX", 500)
# Waiting submissions retried after each applied one (per pass; passes repeat while one
# of them is applied), and by ``reliefops submissions_retry`` / its beat task.
SUBMISSION_RETRY_LIMIT = env_int("RELIEFOPS_SUBMISSION_RETRY_LIMIT", 50)
# Celery beat retries the waiting submissions every 5 minutes (when beat runs).
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "intake-submissions-retry": {
        "task": "reliefops.intake.submissions_retry",
        "schedule": 300.0,
    },
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"],  # type: ignore[dict-item]
    "SubmissionStatusEnum": "reliefops.intake.choices.SubmissionStatus",
    "SubmissionOutcomeEnum": "reliefops.intake.choices.SubmissionOutcome",
    "SubmissionSourceEnum": "reliefops.intake.choices.SubmissionSource",
}
# --- added for crossings
# Flow directions and counting methods have names of their own in the API schema (a
# passage has a direction too).
from typing import cast  # noqa: E402

cast(dict[str, str], SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).update(
    {
        "CrossingDirectionEnum": "reliefops.crossings.choices.Direction",
        "CountMethodEnum": "reliefops.crossings.choices.CountMethod",
        "PassageDirectionEnum": "reliefops.logistics.choices.PassageDirection",
    }
)
#: The population estimates' uncertainties (docs/population.md; None: the defaults).
RELIEFOPS_POPULATION_UNCERTAINTY = None

# --- added for kobo: the KoboToolbox/ODK webhook's answer status (its own enum name)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["KoboAnswerStatusEnum"] = (  # type: ignore[index]
    "reliefops.intake.kobo.choices.AnswerStatus"
)

# --- added for runs: plan runs (reliefops.dayplans.services.runs, docs/operations.md)
# Planning jobs go to their own queue; start workers with `-Q plans,celery`.
CELERY_TASK_ROUTES = {
    **globals().get("CELERY_TASK_ROUTES", {}),
    "reliefops.dayplans.*": {"queue": os.environ.get("RELIEFOPS_PLAN_QUEUE", "plans")},
}
#: How many workers share one day (each sub-problem gets its share of the time limit).
RELIEFOPS_PLAN_WORKERS = env_int("RELIEFOPS_PLAN_WORKERS", 1)
#: The module that builds, stores and loads a run's problem (problem_build/_store/_load).
RELIEFOPS_PLAN_PROBLEM = os.environ.get("RELIEFOPS_PLAN_PROBLEM", "reliefops.dayplans.problem")

# --- added for pages: the plan-run status in the API schema (its own enum name)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"],  # type: ignore[dict-item]
    "PlanStatusEnum": "reliefops.dayplans.choices.PlanStatus",
}

# --- added for notices: notifications in the app and by e-mail (reliefops.notices)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ReliefOps <reliefops@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = os.environ.get("EMAIL_SUBJECT_PREFIX", "[ReliefOps] ")
# SMTP in production; the console on a field laptop or the demo (e-mails printed).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION_MODE
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
#: Send notices by e-mail at all (users have no e-mail preference of their own: an account
#: without an address gets notices in the app only).
NOTICES_EMAIL_ENABLED = env_bool("RELIEFOPS_NOTICES_EMAIL", True)
#: E-mails that failed are retried (beat, every 15 minutes) for this many hours.
NOTICES_EMAIL_RETRY_HOURS = env_int("RELIEFOPS_NOTICES_EMAIL_RETRY_HOURS", 24)
#: The address e-mails link to (notices hold URL paths).
RELIEFOPS_SITE_URL = os.environ.get("RELIEFOPS_SITE_URL", "http://127.0.0.1:8000")
#: The daily reminders run at this hour (local time, TIME_ZONE).
NOTICES_REMINDER_HOUR = env_int("RELIEFOPS_NOTICES_REMINDER_HOUR", 7)
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "notices-reminders-send": {
        "task": "reliefops.notices.reminders_send",
        "schedule": crontab(hour=NOTICES_REMINDER_HOUR, minute=0),
    },
    "notices-email-retry": {"task": "reliefops.notices.email_retry", "schedule": 900.0},
}

# --- added for sitrep mail: the weekly situation report by e-mail (reliefops.reports)
#: Beat sends the report of the week just ended (Monday to Sunday) on this day of the week
#: (cron's: 0 or "sun" … 6 or "sat"; default Monday) at this hour (local time, TIME_ZONE).
RELIEFOPS_SITREP_WEEKDAY = os.environ.get("RELIEFOPS_SITREP_WEEKDAY", "mon")
RELIEFOPS_SITREP_HOUR = env_int("RELIEFOPS_SITREP_HOUR", 8)
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "reports-sitrep-weekly-send": {
        "task": "reliefops.reports.sitrep_weekly_send",
        "schedule": crontab(
            day_of_week=RELIEFOPS_SITREP_WEEKDAY, hour=RELIEFOPS_SITREP_HOUR, minute=0
        ),
    },
}

# --- added for coordedit: the kinds of coordination bodies, meetings and action-item links
# have enum names of their own in the API schema (each a field named "kind")
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"],  # type: ignore[dict-item]
    "BodyKindEnum": "reliefops.coordination.choices.BodyKind",
    "MeetingKindEnum": "reliefops.coordination.choices.MeetingKind",
    "ActionItemLinkKindEnum": "reliefops.coordination.choices.LINK_KIND_CHOICES",
}

# --- added for retention: how long each kind of personal data is kept, in days
# (reliefops.core.retention; README "Configuration"). RELIEFOPS_RETENTION_<KIND> overrides
# one kind (e.g. RELIEFOPS_RETENTION_PERSONS=365); 0 keeps that kind until someone erases it.
RELIEFOPS_RETENTION: dict[str, int | None] = {
    "persons": 730,  # no longer served, unchanged since: erased (with history)
    "identity_access": 1095,  # identity access log entries: deleted
    "submissions": 90,  # field submissions' records as sent: erased
    "drivers": 365,  # inactive drivers: name, phone, licence erased (with history)
    "delivery_notes": 365,  # receiver's name, note and photo of the signed note
    "meeting_attachments": 1825,  # files attached to meetings: deleted
}
RELIEFOPS_RETENTION = {
    kind: env_int(f"RELIEFOPS_RETENTION_{kind.upper()}", days or 0) or None
    for kind, days in RELIEFOPS_RETENTION.items()
}
#: Beat's daily hours (TIME_ZONE): the retention purge, the stored due dates' rebuild.
RELIEFOPS_RETENTION_HOUR = env_int("RELIEFOPS_RETENTION_HOUR", 2)
RELIEFOPS_DUE_REFRESH_HOUR = env_int("RELIEFOPS_DUE_REFRESH_HOUR", 1)
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "core-retention-purge": {
        "task": "reliefops.core.retention_purge",
        "schedule": crontab(hour=RELIEFOPS_RETENTION_HOUR, minute=30),
    },
    "teams-due-store-refresh": {
        "task": "reliefops.teams.due_store_refresh",
        "schedule": crontab(hour=RELIEFOPS_DUE_REFRESH_HOUR, minute=5),
    },
}
