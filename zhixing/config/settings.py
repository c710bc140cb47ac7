"""智执 settings — one module, driven by environment variables.

Every knob is read from the environment (see docs/operations.md for the full list):

- ``DATABASE_URL``            sqlite:///var/zhixing.sqlite3 (default) or postgres://…
- ``ZHIXING_SECRET_KEY``      Django's secret key (default: generated once into var/secret_key)
- ``ZHIXING_IDENTITY_KEY``    base64 key for identity-number encryption (default: var/identity_key)
- ``ZHIXING_ALLOWED_HOSTS``   comma-separated host names (default: localhost,127.0.0.1)
- ``ZHIXING_DEBUG``           1 to turn DEBUG on (default off)
- ``ZHIXING_TLS``             1 when served behind TLS: secure cookies, HSTS, HTTPS redirect
- ``ZHIXING_WORKERS``         number of worker threads/processes the ``zhixing`` command starts
- ``ZHIXING_VAR``             folder for the SQLite database, keys and logs (default: ./var)
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent  # the zhixing package
REPO_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("ZHIXING_VAR", REPO_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _key_file(name: str, make: Callable[[], str]) -> str:
    """Read a generated key from var/, creating it on first use (development and demo only)."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("ZHIXING_DEBUG")
SECRET_KEY = (
    os.environ.get("ZHIXING_SECRET_KEY")
    or os.environ.get("SECRET_KEY")
    or _key_file("secret_key", lambda: secrets.token_urlsafe(50))
)
IDENTITY_KEY = base64.urlsafe_b64decode(
    os.environ.get("ZHIXING_IDENTITY_KEY")
    or _key_file("identity_key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
)
KEYS_FROM_FILES = not (
    (os.environ.get("ZHIXING_SECRET_KEY") or os.environ.get("SECRET_KEY"))
    and os.environ.get("ZHIXING_IDENTITY_KEY")
)

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ZHIXING_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()
]
WORKERS = int(os.environ.get("ZHIXING_WORKERS", "2"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "zhixing.core",
    "zhixing.core.worker",
    "zhixing.documents",
    "zhixing.cases",
    "zhixing.funds",
    "zhixing.agencies",
    "zhixing.asset_control",
    "zhixing.measures",
    "zhixing.knowledge",
    "zhixing.command",
    "zhixing.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhixing.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhixing.web.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "zhixing.config.urls"
WSGI_APPLICATION = "zhixing.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhixing.web.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'zhixing.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
        # that two writers queue on busy_timeout instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA cache_size=-20000;"
        ),
    }
    _db["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    if env_bool("ZHIXING_DB_POOL", default=True):
        _db["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("ZHIXING_DB_POOL_SIZE", "8")),
            "timeout": 10,
        }
    _db["CONN_MAX_AGE"] = 0
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background work ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER_LEASE_SECONDS = int(os.environ.get("ZHIXING_WORKER_LEASE_SECONDS", "60"))
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("ZHIXING_WORKER_HEARTBEAT_SECONDS", "5"))

# --- auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
LOGIN_LOCKOUT_THRESHOLD = int(os.environ.get("ZHIXING_LOGIN_LOCKOUT_THRESHOLD", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("ZHIXING_LOGIN_LOCKOUT_MINUTES", "15"))
API_TOKEN_DAYS = int(os.environ.get("ZHIXING_API_TOKEN_DAYS", "90"))

# --- security -------------------------------------------------------------------------------
TLS = env_bool("ZHIXING_TLS")
SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SECURE_SSL_REDIRECT = TLS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TLS else None
SECURE_HSTS_SECONDS = 31536000 if TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = TLS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Static files are served by WhiteNoise from var/static (collected by `zhixing demo` / deploy).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIXING_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}

AUTHENTICATION_BACKENDS = ["zhixing.core.auth.LockoutBackend"]
DOCUMENTS_DIR = VAR_DIR / "documents"
# Shared secret of the SMS / e-mail gateway's receipt callbacks (the local simulator uses it too).
DOCUMENTS_GATEWAY_SECRET = os.environ.get("ZHIXING_DOCUMENTS_GATEWAY_SECRET") or _key_file(
    "gateway_secret", lambda: secrets.token_urlsafe(32)
)
TASK_RESULT_RETENTION_DAYS = int(os.environ.get("ZHIXING_TASK_RESULT_RETENTION_DAYS", "30"))
WORKER_LOST_MAX_ATTEMPTS = int(os.environ.get("ZHIXING_WORKER_LOST_MAX_ATTEMPTS", "5"))
FUNDS_UNIDENTIFIED_ALERT_DAYS = int(os.environ.get("ZHIXING_FUNDS_UNIDENTIFIED_ALERT_DAYS", "7"))

# --- the agency network (docs/agency-protocol.md) ---------------------------------------------------
# Where agencies send callbacks: this platform's public base URL.
PUBLIC_URL = os.environ.get("ZHIXING_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# The bundled agency simulator (`zhixing agencies-sim`): its port, base URL and the master secret
# from which each simulated agency's key is derived (zhixing.agencies.protocol.derive_secret).
AGENCY_SIM_PORT = int(os.environ.get("ZHIXING_AGENCY_SIM_PORT", "8765"))
AGENCY_SIM_URL = os.environ.get("ZHIXING_AGENCY_SIM_URL", f"http://127.0.0.1:{AGENCY_SIM_PORT}").rstrip("/")
AGENCY_SIM_SECRET = os.environ.get("ZHIXING_AGENCY_SIM_SECRET") or _key_file(
    "agency_sim_secret", lambda: secrets.token_urlsafe(32)
)
# How often the dispatcher sweep looks for requests to send, retry or ask again (seconds).
# Command center: how often the KPI projection reads the journal, and how long an id skipped by a
# transaction that has not committed yet is waited for (docs/decisions/0010-kpi-rollups.md).
COMMAND_PROJECT_EVERY_SECONDS = float(os.environ.get("ZHIXING_COMMAND_PROJECT_EVERY_SECONDS", "60"))
COMMAND_GAP_SECONDS = int(os.environ.get("ZHIXING_COMMAND_GAP_SECONDS", "600"))
COMMAND_SCREEN_REFRESH_SECONDS = int(os.environ.get("ZHIXING_COMMAND_SCREEN_REFRESH_SECONDS", "60"))
AGENCY_DISPATCH_EVERY_SECONDS = float(os.environ.get("ZHIXING_AGENCY_DISPATCH_EVERY_SECONDS", "20"))
# HTTP time-out of one agency call (seconds), and how many calls one dispatcher run makes at once.
AGENCY_HTTP_TIMEOUT = float(os.environ.get("ZHIXING_AGENCY_HTTP_TIMEOUT", "10"))
AGENCY_DISPATCH_CONCURRENCY = int(os.environ.get("ZHIXING_AGENCY_DISPATCH_CONCURRENCY", "16"))
# Retries of transient failures: base back-off (doubling per attempt, capped) and attempts before
# a request is marked failed; how long to wait for a callback before asking the agency again.
AGENCY_RETRY_BACKOFF_SECONDS = float(os.environ.get("ZHIXING_AGENCY_RETRY_BACKOFF_SECONDS", "10"))
AGENCY_RETRY_MAX_BACKOFF_SECONDS = float(os.environ.get("ZHIXING_AGENCY_RETRY_MAX_BACKOFF_SECONDS", "1800"))
AGENCY_MAX_ATTEMPTS = int(os.environ.get("ZHIXING_AGENCY_MAX_ATTEMPTS", "10"))
AGENCY_POLL_SECONDS = float(os.environ.get("ZHIXING_AGENCY_POLL_SECONDS", "600"))
# How long a claimed request stays claimed by its sender (0: three HTTP time-outs, at least 30 s).
AGENCY_LEASE_SECONDS = float(os.environ.get("ZHIXING_AGENCY_LEASE_SECONDS", "0"))
