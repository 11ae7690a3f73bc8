"""Trigger Designer settings: one module, driven by environment variables.

Every value has a safe default for local development (SQLite file and a broker that needs no
server, both under ``var/``). Production sets ``DEBUG=false`` and the security variables; then
``manage.py check --deploy`` passes.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DESIGNER_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed key so sessions survive restarts of `make run`.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # naturaltime: "now", "5 minutes ago" on the draft list and the trash.
    "django.contrib.humanize",
    # Before staticfiles, so runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's own form templates, found through the project's template settings so that
    # templates/django/forms/ can dress the widgets in the design system's markup.
    "django.forms",
    "django_htmx",
    "template_partials",
    "axes",
    "connectors",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refuses a request body over MAX_REQUEST_BODY_BYTES before anything reads it.
    "designer.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "designer.urls"
WSGI_APPLICATION = "designer.wsgi.application"
ASGI_APPLICATION = "designer.asgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'designer.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker share the file: wait for locks instead of failing,
    # and let writers take the lock up front so concurrent saves queue rather than deadlock.
    # Write-ahead logging lets pages read while a report writes its steps, and commits without
    # syncing the disk twice (NORMAL is safe with WAL: a crash may drop the last commit only).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# Lint findings per draft version and breaking changes per pair of revisions are cached (both
# are derived from rows that never change). The default lives in each process's memory; set
# CACHE_URL=redis://... to share one cache between the web processes.
_CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL.startswith(("redis://", "rediss://"))
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes checks every login (the login page and the admin's) before the model backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
# locked out for AXES_COOLOFF_MINUTES; a right password resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "designer.views.locked_out"
AXES_VERBOSE = False
# The client's address is REMOTE_ADDR unless TRUSTED_PROXY_COUNT proxies stand in front; only
# then is X-Forwarded-For believed (a client could otherwise forge one per attempt).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_IPWARE_META_PRECEDENCE_ORDER: tuple[str, ...] = ("REMOTE_ADDR",)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there from the start
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves the static files. With DEBUG off they come from `collectstatic` under hashed
# names, compressed (gzip and brotli) and cached for ever by browsers; in development they are
# served as they are, so an edit shows at once.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Files served at the site's root (favicon.ico), by WhiteNoise like the static files.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# Forms render through the project's templates: Bootstrap's markup for fields and widgets
# (templates/forms/, templates/django/forms/widgets/).
FORM_RENDERER = "designer.forms.SiteFormRenderer"

# Content-Security-Policy on every response: scripts and styles from our own static files only
# (no inline script, no eval, no inline style); htmx is configured to match (base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Uploads (swagger files, sample bodies, icons) are small; refuse anything larger early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# No request body larger than this is read at all (413 by its Content-Length, before any upload
# reaches memory or the temporary folder). Views with smaller limits check their own.
# 24 MB: the import's two files (each read up to 11 MB: documents.MAX_FILE_BYTES) or the
# Swagger editor's text, sent URL-encoded.
MAX_REQUEST_BODY_BYTES = int(os.environ.get("MAX_REQUEST_BODY_BYTES", str(24 * 1024 * 1024)))

# Security: strict whenever DEBUG is off; each switch can be relaxed by its variable (for
# example behind a proxy that terminates TLS and already redirects).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers ask for /healthz over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Celery: the embedded default is kombu's SQLAlchemy transport on a SQLite file, so `make run`
# needs no server; set CELERY_BROKER_URL=redis://... in production.
CELERY_BROKER_URL = (
    os.environ.get("CELERY_BROKER_URL") or f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}"
)
CELERY_RESULT_BACKEND = None  # Results live in our own models, never in a Celery backend.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "300"))
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 30
# Redis redelivers an unacknowledged task after the visibility timeout: keep it above the
# longest task so a slow report is not run twice. (The SQLAlchemy transport hands its options
# to create_engine, which refuses this one.)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 2}
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else {}
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Celery beat (embedded in `make run`'s worker with -B; its own process in production) ends
# reports left `running` past the hard time limit, deleting what they left subscribed.
CELERY_BEAT_SCHEDULE = {
    "reap-stuck-reports": {"task": "connectors.tasks.report_reap", "schedule": 60.0},
}

# The test report's runner (issue 4). Loopback targets (127.0.0.1, ::1) are refused unless this
# is on. It follows DEBUG unless set: on for local development (so `make run` can test against
# its own simulator) and the test suite, off in production.
RUNNER_ALLOW_LOOPBACK = env_bool("RUNNER_ALLOW_LOOPBACK", DEBUG)
# The absolute base of this app as the outside world reaches it: callback URLs
# (/hooks/<token>/) and the simulator (/sim/<token>/) are built on it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
RUNNER_CONNECT_TIMEOUT = float(os.environ.get("RUNNER_CONNECT_TIMEOUT", "5"))
RUNNER_READ_TIMEOUT = float(os.environ.get("RUNNER_READ_TIMEOUT", "15"))
# How long a webhook step waits for a notification (the simulator sends one at once; against a
# real API the user triggers the event while the page counts down).
RUNNER_CALLBACK_WAIT_SECONDS = float(os.environ.get("RUNNER_CALLBACK_WAIT_SECONDS", "60"))
# After the DELETE, how long the runner watches the callback URL for a delivery that must not come.
RUNNER_AFTER_DELETE_WAIT_SECONDS = float(os.environ.get("RUNNER_AFTER_DELETE_WAIT_SECONDS", "1"))
RUNNER_MAX_POLLS = int(os.environ.get("RUNNER_MAX_POLLS", "5"))
# Between polls the runner sleeps min(Retry-After, this): a report must not take an hour.
RUNNER_MAX_SLEEP_SECONDS = float(os.environ.get("RUNNER_MAX_SLEEP_SECONDS", "1"))
# The simulator's "slow answer" fault sleeps this long: longer than the runner's read timeout.
SIMULATOR_SLOW_SECONDS = float(
    os.environ.get("SIMULATOR_SLOW_SECONDS", str(RUNNER_READ_TIMEOUT + 5))
)
# A simulator answers while its report is queued or running and this long after it ended (410).
SIMULATOR_GRACE_SECONDS = float(os.environ.get("SIMULATOR_GRACE_SECONDS", "60"))
# Live (not deleted) hooks one simulator keeps; a registration beyond is refused (429).
SIMULATOR_MAX_HOOKS = int(os.environ.get("SIMULATOR_MAX_HOOKS", "20"))
# Notifications one simulator event (a fire, or a delivery after DELETE) sends at most.
SIMULATOR_FIRE_MAX_DELIVERIES = int(os.environ.get("SIMULATOR_FIRE_MAX_DELIVERIES", "50"))
# Seconds one simulator event may spend delivering (below the runner's 10 s wait for a fire).
SIMULATOR_FIRE_SECONDS = float(os.environ.get("SIMULATOR_FIRE_SECONDS", "5"))
# A notification larger than this is refused by /hooks/<token>/ (413).
HOOK_MAX_BODY_BYTES = int(os.environ.get("HOOK_MAX_BODY_BYTES", str(256 * 1024)))
# Notifications one callback hook stores at most; beyond, /hooks/<token>/ answers 429.
HOOK_MAX_NOTIFICATIONS = int(os.environ.get("HOOK_MAX_NOTIFICATIONS", "50"))
# Bytes (bodies and headers) one callback hook stores at most; beyond, 429.
HOOK_MAX_TOTAL_BYTES = int(os.environ.get("HOOK_MAX_TOTAL_BYTES", str(2 * 1024 * 1024)))

# Mail (team invitations): printed to the console in development, SMTP when DEBUG is off.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
# The SMTP server and its login (production).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
# STARTTLS on the SMTP connection (usually with EMAIL_PORT=587).
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds to wait for the SMTP server: the invitation's request waits for the mail, and a hung
# server must not hold it forever (the invitation is kept and its link shown either way).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
# The sender of the app's mail.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Trigger Designer <noreply@localhost>")
# How long an invitation link works after it was (last) sent.
INVITATION_MAX_AGE_DAYS = int(os.environ.get("INVITATION_MAX_AGE_DAYS", "7"))

# Logs never carry what a URL may hold: query values (an API key sent "in query") and the tokens
# of /sim/<token>/ and /hooks/<token>/ (designer/logfilters.py). The filter sits on every
# handler, so whatever logs through them is scrubbed, and on the loggers that print URLs, so that
# a handler added to them later sees scrubbed records too. Django's own "django" and
# "django.server" handlers are replaced by these (theirs would not scrub). httpx and httpcore log
# every URL they call (the simulator's fire URL, each delivery to /hooks/<token>/) at INFO and
# DEBUG: WARNING keeps them quiet, the filter covers an operator who turns them up.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "designer.logfilters.ScrubFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["scrub"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["scrub"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["scrub"]},
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["scrub"],
            "level": "INFO",
            "propagate": False,
        },
        "httpx": {"level": "WARNING", "filters": ["scrub"]},
        # django-axes logs every successful login at INFO; failures and lockouts stay.
        "axes": {"level": "WARNING"},
        "httpcore": {"level": "WARNING", "filters": ["scrub"]},
    },
}
