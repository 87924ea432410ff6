"""Settings for Zugong, read from environment variables.

Two modes: the embedded demo (default; SQLite, development keys, DEBUG off but no TLS
requirements) and production (``ZUGONG_ENV=production``), which refuses to start
without a secret key and field-encryption key material and turns on every setting that
``manage.py check --deploy`` asks for.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ZUGONG_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

ENV = os.environ.get("ZUGONG_ENV", "demo")
PRODUCTION = ENV == "production"
# Under pytest the suite swaps in fast hashing, in-memory jobs and finder-served assets.
TESTING = os.environ.get("ZUGONG_TESTING") == "1" or "pytest" in sys.modules

# Development-only values. They are public (they are in this file), so production
# refuses to run with them.
_DEMO_SECRET = "zugong-demo-only-secret-key-not-for-production-use-0000000000"  # noqa: S105  # nosec B105
_DEMO_FIELD_KEY = "v1:" + "00112233445566778899aabbccddeeff"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when ZUGONG_ENV=production.")
    SECRET_KEY = _DEMO_SECRET
if PRODUCTION and SECRET_KEY == _DEMO_SECRET:
    raise ImproperlyConfigured(
        "SECRET_KEY is the public demo key; set a secret one when ZUGONG_ENV=production.")
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 characters when ZUGONG_ENV=production.")

# Field-encryption and MAC keys: "version:hex" entries separated by commas; the first is
# used for new values, all are accepted for reading (re-encryption command rotates).
# They can also come from a key file so that they never live in the process environment.
_key_file = os.environ.get("ZUGONG_KEY_FILE")
if _key_file:
    ZUGONG_FIELD_KEYS = Path(_key_file).read_text(encoding="utf-8").strip()
else:
    ZUGONG_FIELD_KEYS = os.environ.get("ZUGONG_FIELD_KEYS", "")
if not ZUGONG_FIELD_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "ZUGONG_FIELD_KEYS or ZUGONG_KEY_FILE must be set when ZUGONG_ENV=production."
        )
    ZUGONG_FIELD_KEYS = _DEMO_FIELD_KEY
if PRODUCTION:
    # The same rules as zugong.core.checks (check --deploy), enforced before anything starts:
    # the demo key is in this file, so data "encrypted" with it is readable by anyone.
    for _entry in ZUGONG_FIELD_KEYS.split(","):
        _version, _, _hex = _entry.strip().partition(":")
        if _hex.lower() == _DEMO_FIELD_KEY.partition(":")[2]:
            raise ImproperlyConfigured(
                f"Field key {_version!r} is the public demo key; generate a new one when "
                "ZUGONG_ENV=production.")
        if len(_hex) < 32:
            raise ImproperlyConfigured(
                f"Field key {_version!r} is shorter than 32 hex characters; "
                "ZUGONG_ENV=production needs 128-bit keys.")
ZUGONG_CRYPTO_PROVIDER = os.environ.get(
    "ZUGONG_CRYPTO_PROVIDER", "zugong.core.crypto.SoftwareProvider"
)

DEBUG = os.environ.get("ZUGONG_DEBUG") == "1" and not PRODUCTION

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "ninja",  # serves its Swagger UI from local static files instead of a CDN
    "treebeard",
    # Second factor (TOTP) for administrators and leaders; static devices hold the
    # one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "zugong.core",
    "zugong.people",
    "zugong.console",
    "zugong.learning",
    "zugong.interop",
    "zugong.talks",
    "zugong.assessment",
    "zugong.tasks",
    "zugong.supervision",
    "zugong.partylife",
    "zugong.ability",
    "zugong.service",
    "zugong.projects",
    "zugong.care",
    "zugong.talent",
    "zugong.reports",
    "zugong.portrait",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zugong.core.middleware.IdleTimeoutMiddleware",
    "zugong.people.middleware.SecondFactorMiddleware",
    "zugong.people.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "zugong.core.middleware.RequestContextMiddleware",
    "zugong.core.idempotency.IdempotencyMiddleware",
    "zugong.core.paging.PagingErrorMiddleware",
    "zugong.core.middleware.RefusedRequestAuditMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zugong.config.urls"
WSGI_APPLICATION = "zugong.config.wsgi.application"

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
                "zugong.console.context_processors.navigation",
                "zugong.console.context_processors.notices",
            ],
        },
    },
]

# Database: SQLite (WAL, synchronous=FULL, immediate transactions) unless DATABASE_URL.
_default_db = f"sqlite:///{DATA_DIR / 'zugong.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db))}
# Django's own engines with a before-commit hook, which the audit chain appends through
# (zugong.core.db explains why).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.sqlite3": "zugong.core.db.sqlite3",
    "django.db.backends.postgresql": "zugong.core.db.postgresql",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Tests run on Django's in-memory database, as they would with Django's own engine
    # name (pytest-django recognizes that name only).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    # Persistent connections: opening one per request costs more than most page queries.
    # (dj-database-url always sets CONN_MAX_AGE, to 0 unless told otherwise.)
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("ZUGONG_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters bound by the server, and a statement run five times on a connection
    # prepared there (issue 23): PostgreSQL then skips parsing and planning the queries
    # every page repeats (the account, the roles, the summaries), 14-16 % of its CPU per
    # request under the province load, and Python no longer writes parameters into SQL.
    # ZUGONG_PG_PREPARE_THRESHOLD=off keeps the binding but prepares nothing (behind a
    # pooler in transaction mode, which cannot keep a connection's prepared statements).
    _threshold = os.environ.get("ZUGONG_PG_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "server_side_binding": True,
        "prepare_threshold": None if _threshold == "off" else int(_threshold),
    })

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
ZUGONG_PERSON_MODEL = "people.Person"  # what core.records.PersonRecord points at

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "zugong.people.backends.AccountBackend",
]

# Password policy (等保 2.0 level 3 defaults; each a setting).
ZUGONG_PASSWORD_HISTORY = int(os.environ.get("ZUGONG_PASSWORD_HISTORY", "5"))
# Task ledger: days before a deadline when the lead is reminded, and days overdue before the
# deputy in charge is told (docs/tasks.md).
ZUGONG_TASKS_REMIND_DAYS = int(os.environ.get("ZUGONG_TASKS_REMIND_DAYS", "3"))
ZUGONG_TASKS_ESCALATE_DAYS = int(os.environ.get("ZUGONG_TASKS_ESCALATE_DAYS", "5"))
ZUGONG_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("ZUGONG_PASSWORD_MAX_AGE_DAYS", "90"))
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "zugong.core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "zugong.core.passwords.HistoryValidator"},
]
if TESTING:
    # Hashing is the slowest part of a test run; the policy itself is unchanged.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Second factor (TOTP, django-otp). Users holding one of ZUGONG_2FA_ROLES must enrol an
# authenticator app when ZUGONG_2FA_REQUIRED is on (the default, except in the demo and in
# tests, whose accounts sign in with a password alone). Anyone may enrol voluntarily, and
# an enrolled user is always asked for the code, whatever the setting.
def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (got {value!r}).")


_2FA_ROLES = os.environ.get("ZUGONG_2FA_ROLES", "sysadmin,secadmin,auditor,head,deputy")
ZUGONG_2FA_ROLES = [r.strip() for r in _2FA_ROLES.split(",") if r.strip()]
ZUGONG_2FA_REQUIRED = _env_flag("ZUGONG_2FA_REQUIRED", not (TESTING or ENV == "demo"))
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = os.environ.get("ZUGONG_OTP_ISSUER", "Zugong")

# Lockout: 5 failures per username, 30 minutes (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("ZUGONG_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ZUGONG_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that without the IP an attacker could rotate user agents; the lock here
# is on the username itself, which rotating anything else cannot get around.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zugong.people.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Sessions: idle timeout 30 minutes, absolute lifetime 12 hours, server-side.
ZUGONG_IDLE_TIMEOUT_SECONDS = int(os.environ.get("ZUGONG_IDLE_TIMEOUT_SECONDS", "1800"))
SESSION_COOKIE_AGE = int(os.environ.get("ZUGONG_SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("ZUGONG_SSL_REDIRECT", "1") == "1"
    # Load balancers probe the health check over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("ZUGONG_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request if it is missing
# Front-end assets are installed with npm (package-lock.json) and served locally:
# government intranets cannot reach a CDN.
_NODE = Path(os.environ.get("ZUGONG_NODE_MODULES", BASE_DIR.parent / "node_modules"))
# Only the files the pages use are published (core/staticfinders.py).
ZUGONG_VENDOR_FILES = {
    "vendor/bootstrap": (_NODE / "bootstrap" / "dist", ["css/bootstrap.min.css",
                                                         "css/bootstrap.min.css.map",
                                                         "js/bootstrap.bundle.min.js",
                                                         "js/bootstrap.bundle.min.js.map"]),
    "vendor/htmx": (_NODE / "htmx.org" / "dist", ["htmx.min.js"]),
    "vendor/echarts": (_NODE / "echarts" / "dist", ["echarts.min.js"]),
}
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "zugong.core.staticfinders.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "zugong.core.staticstorage.StaticStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING
MEDIA_ROOT = DATA_DIR / "media"
# Media are never served directly: every file goes through a view that checks scope.
MEDIA_URL = "/media-not-served/"
ZUGONG_PHOTO_MAX_BYTES = int(os.environ.get("ZUGONG_PHOTO_MAX_BYTES", str(2 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest evidence, writing or study-material file (core.files.check_upload).
ZUGONG_UPLOAD_MAX_BYTES = int(os.environ.get("ZUGONG_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))

# Jobs: Huey with SQLite storage by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if TESTING:
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "zugong", "immediate": True}
elif REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "zugong",
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "zugong",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": False,
    }
if REDIS_URL and not TESTING:
    CACHES = {
        "default": {"BACKEND": "zugong.core.cache.RedisCache", "LOCATION": REDIS_URL}
    }
    # Every signed-in request reads its session; with a cache that all app processes share
    # the read skips the database (one query per request). Writes still go to both, so a
    # Redis restart signs no one out. Not with the per-process default cache: a session
    # ended in one process would live on in another's copy.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# core.memo keeps computed reads in the cache until a write bumps their scope. The bump must
# reach every process that may hold the answer: the app processes, the job worker and any
# management command. Only a shared cache (Redis) does that; each process's own default
# cache would keep an answer that another process's write made stale, so without Redis
# nothing is kept (the tests, one process, keep answers to test the memo itself).
ZUGONG_MEMO = bool(REDIS_URL) or TESTING

# Backups (zugong backup; the nightly job keeps the newest ZUGONG_BACKUP_KEEP copies).
# Copy them off this machine too: a backup on the database's own disk dies with it.
ZUGONG_BACKUP_DIR = Path(os.environ.get("ZUGONG_BACKUP_DIR", DATA_DIR / "backups")).resolve()
ZUGONG_BACKUP_KEEP = int(os.environ.get("ZUGONG_BACKUP_KEEP", "14"))
# /healthz fails and `zugong check --deploy` warns below this much free space (data dir).
ZUGONG_DISK_FREE_MIN_MB = int(os.environ.get("ZUGONG_DISK_FREE_MIN_MB", "1024"))
# `zugong check --deploy` warns when the newest backup is older than this.
ZUGONG_BACKUP_MAX_AGE_HOURS = int(os.environ.get("ZUGONG_BACKUP_MAX_AGE_HOURS", "48"))

# Recycle bin (core.recycle): a deleted record can be restored for this many days, then
# the nightly purge drops it. An erasure request (PIPL) removes it at once instead.
ZUGONG_RECYCLE_KEEP_DAYS = int(os.environ.get("ZUGONG_RECYCLE_KEEP_DAYS", "30"))
# Idempotency keys (API Idempotency-Key, form tokens) are remembered this long.
ZUGONG_IDEMPOTENCY_HOURS = int(os.environ.get("ZUGONG_IDEMPOTENCY_HOURS", "24"))

# Notices (zugong.core.notices): in-app always; email only when EMAIL_HOST is set; one
# message per notice batch to a 企业微信 / 钉钉 group robot when ZUGONG_WEBHOOK_URL is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS") == "1"
# Without a timeout a mail server that stops answering would hold the request forever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zugong@localhost")
# Links in emails and robot messages are made absolute with this address.
ZUGONG_BASE_URL = os.environ.get("ZUGONG_BASE_URL", "http://127.0.0.1:8000")
# The robot's URL carries its access key: it is never logged.
ZUGONG_WEBHOOK_URL = os.environ.get("ZUGONG_WEBHOOK_URL", "")
# 钉钉 robots with keyword security drop messages that do not contain the keyword.
ZUGONG_WEBHOOK_KEYWORD = os.environ.get("ZUGONG_WEBHOOK_KEYWORD", "")

def _no_traceback_below_500(record) -> bool:
    """Django logs a refused request (PermissionDenied → 403) with its traceback; a refusal
    is an expected answer, already in the audit log, so it is logged as one line. Errors
    (500) keep their traceback."""
    if getattr(record, "status_code", 500) < 500:
        record.exc_info = None
        record.exc_text = None
    return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_traceback_below_500": {
            "()": "django.utils.log.CallbackFilter", "callback": _no_traceback_below_500,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"filters": ["no_traceback_below_500"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("ZUGONG_LOG_LEVEL", "WARNING")},
}

# Rows per list page (users may choose 20, 50 or 100).
ZUGONG_PAGE_SIZE = int(os.environ.get("ZUGONG_PAGE_SIZE", "20"))
# A visible prefix that marks tokens in logs and scanners; not a secret.
ZUGONG_API_TOKEN_PREFIX = "zg_"  # noqa: S105  # nosec B105
# How long a new API token lives (days); a token is never valid for ever.
ZUGONG_API_TOKEN_DAYS = int(os.environ.get("ZUGONG_API_TOKEN_DAYS", "90"))
