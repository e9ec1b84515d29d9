"""One settings module, driven by the environment (django-environ).

Embedded default (no services): SQLite file + Celery on kombu's filesystem:// broker under var/.
Production: DATABASE_URL (PostgreSQL) and REDIS_URL (Celery broker, result backend and cache).
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
else:
    # Required outside DEBUG: a missing secret must stop the process, not fall back silently.
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, not a CDN
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "compliance",
    "payments",
    "collections_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "collections_app.middleware.CSPMiddleware",  # django-csp's, the common header built once
    "collections_app.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "collections_app.middleware.IdleSessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "collections_app.middleware.RequireTwoFactorMiddleware",
    "collections_app.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "collections_app.middleware.NulCharacterMiddleware",  # PostgreSQL holds no NUL: a 400, not a 500
    "collections_app.middleware.LoginRequiredByDefaultMiddleware",
    # last: turns django-axes' lockout flag into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "collections_app.urls"
WSGI_APPLICATION = "collections_app.wsgi.application"
ASGI_APPLICATION = "collections_app.asgi.application"

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
                "collections_app.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Celery worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Least privilege (README "Database roles"): DATABASE_URL is the application's role, which owns nothing;
# MIGRATION_DATABASE_URL, when set, is the owner role's connection ("migrations" alias) for
# `manage.py migrate --database migrations` and `manage.py db_app_role --database migrations`.
if env("MIGRATION_DATABASE_URL", default=""):
    DATABASES["migrations"] = env.db("MIGRATION_DATABASE_URL")
    DATABASES["migrations"]["TEST"] = {"MIRROR": "default"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "collections_app.User"
AUTHENTICATION_BACKENDS = [
    "collections_app.auth.LockoutBackend",  # django-axes: refuses locked-out names and addresses first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The floor works in English and Spanish; each user picks one (User.language), else the browser's.
LANGUAGES = [("en", "English"), ("es", "Español")]
# Spanish numbers written as a US agency writes them ($1,250.40): collections_app/formats/es/formats.py
FORMAT_MODULE_PATH = ["collections_app.formats"]
LOCALE_PATHS = [str(env.path("LOCALE_DIR", default=BASE_DIR / "locale"))]  # LOCALE_DIR: the i18n test checks a copy
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads: large ledger files stream to disk, never into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
LEDGER_IMPORT_MAX_BYTES = env.int("LEDGER_IMPORT_MAX_BYTES", default=500 * 1024 * 1024)
# XLSX uploads are converted in a child process with these ceilings (accounts/imports/workbooks.py):
# address space in bytes, and seconds (below gunicorn's 120 s worker timeout).
XLSX_MEMORY_BYTES = env.int("XLSX_MEMORY_BYTES", default=400 * 1024 * 1024)
XLSX_SECONDS = env.int("XLSX_SECONDS", default=90)
# Workbooks up to this size are converted inside the upload request; bigger ones on a Celery worker (the
# batch is `converting` meanwhile and the page/API poll it). 0, the default: every workbook goes to the
# worker, since a workbook of a few KB can still be a bomb that holds a request for XLSX_SECONDS.
XLSX_INLINE_MAX_BYTES = env.int("XLSX_INLINE_MAX_BYTES", default=0)
# Dry runs of files up to this size answer in the request; bigger ones run on a worker with progress.
LEDGER_DRY_RUN_SYNC_MAX_BYTES = env.int("LEDGER_DRY_RUN_SYNC_MAX_BYTES", default=5 * 1024 * 1024)
# Big transaction files (PostgreSQL) are parsed on two cores: a helper process takes the second half.
LEDGER_IMPORT_PARALLEL = env.bool("LEDGER_IMPORT_PARALLEL", default=True)
# PostgreSQL: write a clean transactions file to the ledger chunk by chunk while it is still being parsed
# (accounts.imports.transactions.Pipeline); anything it cannot take goes the classic way.
LEDGER_IMPORT_PIPELINE = env.bool("LEDGER_IMPORT_PIPELINE", default=True)
# Steps run inside a placement import's transaction once it lands (dotted paths, called with batch=):
# the project wires compliance in here, because accounts may not import compliance (DESIGN.md §2).
LEDGER_IMPORT_AFTER = ["compliance.services.disputes.disputes_open_from_import"]
# Batches that cannot stick: a running import stamps its heartbeat every HEARTBEAT seconds; the sweeper
# (beat, every SWEEP seconds) fails one whose stamp is older than STALE seconds (its worker died) and
# re-sends a queued one that no worker claimed for REQUEUE seconds (its task message was lost).
LEDGER_IMPORT_HEARTBEAT_SECONDS = env.float("LEDGER_IMPORT_HEARTBEAT_SECONDS", default=5.0)
LEDGER_IMPORT_STALE_SECONDS = env.int("LEDGER_IMPORT_STALE_SECONDS", default=60)
LEDGER_IMPORT_SWEEP_SECONDS = env.float("LEDGER_IMPORT_SWEEP_SECONDS", default=30.0)
LEDGER_IMPORT_REQUEUE_SECONDS = env.int("LEDGER_IMPORT_REQUEUE_SECONDS", default=300)

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    _broker_dir = Path(env("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "celery")))
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # kombu's filesystem transport: producer and consumer share one folder.
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_broker_dir / 'results'}"
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
# The agency's own zone: "tonight" and "today" for nightly jobs and the worklist's day.
AGENCY_TIME_ZONE = env("AGENCY_TIME_ZONE", default="America/New_York")
# Beat reads crontab hours in this zone, so nightly jobs run at the agency's night, DST included.
CELERY_TIMEZONE = AGENCY_TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# "HH:MM" in AGENCY_TIME_ZONE for the night (run_nightly: promises, plans, interest, re-prioritisation,
# dashboards, reminders queued). NIGHTLY_AT wins; REPRIORITIZE_AT is the older name of the same setting.
NIGHTLY_AT = env("NIGHTLY_AT", default=env("REPRIORITIZE_AT", default="02:00"))
REPRIORITIZE_AT = NIGHTLY_AT
CELERY_BEAT_SCHEDULE = {
    # One entry for the night: the re-prioritisation is one of its steps, so it is not scheduled twice.
    "run-nightly": {"task": "collections_app.nightly.run_nightly",
                    "schedule": crontab(hour=int(NIGHTLY_AT.split(":")[0]), minute=int(NIGHTLY_AT.split(":")[1]))},
    # Queued reminders go out through the gate as each debtor's lawful window opens.
    "payment-reminders-dispatch": {"task": "payments.tasks.reminders_dispatch", "schedule": crontab(minute="*/15")},
    # Expired leases go back to the queue; accounts whose next lawful time has come become ready.
    "worklist-sweep": {"task": "collections_app.tasks.worklist_sweep", "schedule": 60.0},
    # Imports whose worker died are failed with the reason; lost queued ones are sent again.
    "ledger-import-sweep": {"task": "accounts.tasks.ledger_import_sweep", "schedule": LEDGER_IMPORT_SWEEP_SECONDS},
    # Record retention (issue 13): anonymise or delete what each policy says is due, holds respected.
    "retention-purge": {"task": "compliance.tasks.retention_purge", "schedule": crontab(hour=3, minute=30)},
}
# How long "next account" holds an account for its collector before the sweep frees it.
WORKLIST_LEASE_SECONDS = env.int("WORKLIST_LEASE_SECONDS", default=15 * 60)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.filebased.EmailBackend" if not env("EMAIL_HOST", default="")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "outbox" / "email"))
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="accounts@northstar-recovery.example")
SMS_OUTBOX_DIR = env("SMS_OUTBOX_DIR", default=str(VAR_DIR / "outbox" / "sms"))

# The debt collector as it appears on validation notices (12 CFR 1006.34(c)(1)): the mailing
# address is where disputes and original-creditor requests are accepted. Electronic disputes are
# only promised on the notice when COLLECTOR_ACCEPTS_ELECTRONIC_DISPUTES is true.
COLLECTOR_PROFILE = {
    "name": env("COLLECTOR_NAME", default="Northstar Recovery LLC"),
    "address_line1": env("COLLECTOR_ADDRESS_LINE1", default="PO Box 4410"),
    "address_line2": env("COLLECTOR_ADDRESS_LINE2", default=""),
    "city": env("COLLECTOR_CITY", default="Atlanta"),
    "state": env("COLLECTOR_STATE", default="GA"),
    "zip": env("COLLECTOR_ZIP", default="30302"),
    "phone": env("COLLECTOR_PHONE", default="(800) 555-0142"),
    "hours": env("COLLECTOR_HOURS", default="Monday-Friday, 8 a.m.-8 p.m. Eastern"),
    "hours_es": env("COLLECTOR_HOURS_ES", default="lunes a viernes, de 8 a.m. a 8 p.m., hora del Este"),
    "website": env("COLLECTOR_WEBSITE", default="www.northstar-recovery.example"),
    "accepts_electronic_disputes": env.bool("COLLECTOR_ACCEPTS_ELECTRONIC_DISPUTES", default=True),
    "electronic_dispute_address": env("COLLECTOR_ELECTRONIC_DISPUTE_ADDRESS",
                                      default="www.northstar-recovery.example/dispute"),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request is answered 401 with a WWW-Authenticate header.
        "collections_app.auth.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every endpoint must name the roles it allows.
    "DEFAULT_PERMISSION_CLASSES": ["accounts.access.DenyAll"],
    "DEFAULT_SCHEMA_CLASS": "accounts.api_schema.CollectionsAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Collections API",
    "DESCRIPTION": "Debtor accounts, worklists, payments and the compliance gate.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name across endpoints get their own schema names.
    "ENUM_NAME_OVERRIDES": {
        "SettlementKindEnum": "payments.models.settlement.SettlementKind",
        "ImportKindEnum": "accounts.models.imports.ImportKind",
        "HoldKindEnum": "compliance.models.holds.HoldKind",
        "CallOutcomeEnum": "compliance.models.logs.CallOutcome",
    },
}

# Security: on by default, relaxed only for DEBUG on a laptop.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-less meta tag; keep default.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts and styles only from our own static files (vendored
# htmx, Pico CSS, Swagger UI from drf-spectacular-sidecar): no inline <script>, no inline style
# attributes, no event-handler attributes, no eval. The one exception is a nonce for the <style> of a
# validation notice previewed in an <iframe srcdoc> (compliance/notices/views.py). data: images are
# Pico's and Swagger UI's icons. Pages are never framed (frame-ancestors, and X-Frame-Options DENY).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    },
}
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=(), interest-cohort=()")

# Brute force (django-axes; collections_app/auth.py): AXES_FAILURE_LIMIT failed logins lock that user
# name and, separately, that address for AXES_COOLOFF_MINUTES. Behind a proxy, make REMOTE_ADDR the
# client's address (gunicorn --forwarded-allow-ips), or every user shares the proxy's lockout.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "collections_app.auth.lockout_response"  # that page, or JSON 429 under /api/
# Failed API tokens per client address before token authentication is locked for it (AXES_COOLOFF_MINUTES).
API_TOKEN_FAILURE_LIMIT = env.int("API_TOKEN_FAILURE_LIMIT", default=10)
API_TOKEN_FAILURE_CACHE_PREFIX = "api-token-failures"
AXES_VERBOSE = False
# TOTP second factor (django-otp): required of these roles (and of anyone who enrolled); optional for
# the others. A deploy check refuses a production configuration that drops admin or compliance.
TWO_FACTOR_REQUIRED_ROLES = env.list("TWO_FACTOR_REQUIRED_ROLES", default=["admin", "compliance"])
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Collections")

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request (collections_app.middleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=8 * 60 * 60)
SESSION_TOUCH_INTERVAL = 60  # seconds: the last-seen time is written at most this often
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"permission_denied_one_line": {"()": "collections_app.log_filters.PermissionDeniedOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A refused page is one line (who, what), not a traceback.
    "loggers": {"django.request": {"filters": ["permission_denied_one_line"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

DEMO_PASSWORD = env("DEMO_PASSWORD", default="collect-demo-2026")
