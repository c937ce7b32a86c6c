"""Settings for the PEEL dashboard, read from the environment.

PEEL_ENV is "production" unless set to "development" (make run and the tests set it): production
needs a strong SECRET_KEY and turns HTTPS redirects, HSTS and secure cookies on. DEBUG is off unless
DEBUG is set; the database is SQLite unless DATABASE_URL is set. README "Production" lists every variable.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from peel.middleware import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key_problem(key: str) -> str | None:
    """Why a SECRET_KEY is unfit for production (the rules of Django's security.W009), or None."""
    if not key:
        return "SECRET_KEY is not set"
    if key == _DEV_SECRET_KEY or key.startswith("django-insecure"):
        return "SECRET_KEY is a development key"
    if len(key) < 50 or len(set(key)) < 5:
        return "SECRET_KEY is too weak: it needs 50 or more characters, 5 or more of them different"
    return None


DEBUG = env_bool("DEBUG")
PEEL_ENV = os.environ.get("PEEL_ENV", "production").strip().lower()
if PEEL_ENV not in {"production", "development"}:
    raise ImproperlyConfigured(f"PEEL_ENV must be 'production' or 'development', not {PEEL_ENV!r}")
DEVELOPMENT = DEBUG or PEEL_ENV == "development"

# Development gets a fixed, obviously unsafe key; production refuses to start without a strong one.
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "") or (_DEV_SECRET_KEY if DEVELOPMENT else "")
if not DEVELOPMENT and (_problem := secret_key_problem(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"{_problem}. Production (PEEL_ENV unset or 'production') needs a strong SECRET_KEY, e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`; for local development set PEEL_ENV=development."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

INSTALLED_APPS = [
    "peel.apps.PeelAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_tables2",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files as static files of our own (no CDN): the API docs page loads them from here.
    "drf_spectacular_sidecar",
    "axes",
    "forces",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "peel.middleware.ContentSecurityPolicyMiddleware",
    "peel.middleware.PublicReadCorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise, so static files never wait for the database (peel/database_guard.py).
    "peel.database_guard.DatabaseGateMiddleware",
    # Pages and exports compressed (Django's GZip pads against BREACH); static files come precompressed from whitenoise.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "peel.database_guard.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: answers 429 to a login attempt from a locked-out user or address.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peel.urls"

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
                "peel.middleware.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "peel.wsgi.application"

# An empty DATABASE_URL counts as unset (dj-database-url would return an unusable config).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# A database that hangs must not hang the site (peel/database_guard.py, docs/operations.md "Timeouts"): connecting
# gives up after DATABASE_CONNECT_TIMEOUT seconds, PostgreSQL cancels a statement after DATABASE_STATEMENT_TIMEOUT
# seconds, and a query whose answer never arrives is cut off by the client DATABASE_QUERY_DEADLINE seconds in.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30"))
DATABASE_QUERY_DEADLINE = float(os.environ.get("DATABASE_QUERY_DEADLINE", str(DATABASE_STATEMENT_TIMEOUT + 5)))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": max(2, DATABASE_CONNECT_TIMEOUT),  # libpq treats 1 as 2
            "options": f"-c statement_timeout={int(DATABASE_STATEMENT_TIMEOUT * 1000)}",
        }
    )
# Requests per process allowed into code that may use the database at once: one gunicorn thread fewer than
# there are, so /livez and static files always find a thread even when every database call is stuck.
GUNICORN_THREADS = int(os.environ.get("GUNICORN_THREADS", "8"))
DATABASE_CONCURRENCY = int(os.environ.get("DATABASE_CONCURRENCY", str(max(1, GUNICORN_THREADS - 1))))
DATABASE_GATE_WAIT = float(os.environ.get("DATABASE_GATE_WAIT", "2"))
HEALTHZ_TIMEOUT = float(os.environ.get("HEALTHZ_TIMEOUT", "1.5"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly/plotly.min.js straight from node_modules/ (npm's plotly.js-cartesian-dist-min): no CDN, no copy in the repo.
    "peel.staticfiles.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            # Production: hashed names (cached for a year) with .gz and .br beside them, from `collectstatic`.
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEVELOPMENT
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Development serves static files straight from the finders, so no `collectstatic` is needed before runserver or tests.
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEVELOPMENT

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

FIXTURE_SOURCES_DIR = BASE_DIR / "fixtures" / "sources"
FIXTURES_DIR = BASE_DIR / "fixtures"

LOGIN_URL = "admin:login"
# Where a login goes when its `next` is missing or unsafe (another host): the editor's home, not Django's /accounts/profile/.
LOGIN_REDIRECT_URL = "editor:home"

SIMPLE_HISTORY_ENABLED = env_bool("SIMPLE_HISTORY_ENABLED", True)

# The page cache (reports/caching.py) and the login throttle's counts. With REDIS_URL (redis://host:6379/0) both live
# in Redis, shared by every worker of every server, so a page is rendered once per data version for all of them;
# without it each worker process keeps its own (LocMemCache). Entries are keyed on the data version, so a save
# shows at once everywhere either way, and old versions simply age out.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()


def redis_location(url: str, *, worker: str) -> str:
    """Where the caches live: REDIS_URL, except that each pytest-xdist worker (gw0, gw1, …) gets the next
    database number, because tests empty the cache between them and must not empty another worker's."""
    if not url or not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + int(worker[2:])
    return urlunsplit(parts._replace(path=f"/{database}"))


REDIS_LOCATION = redis_location(REDIS_URL, worker=os.environ.get("PYTEST_XDIST_WORKER", ""))
PAGE_CACHE_TIMEOUT = 24 * 3600
if REDIS_URL:
    # A Redis that stops answering must not hang requests either: short socket timeouts.
    _redis_options = {"socket_connect_timeout": 2, "socket_timeout": 2, "health_check_interval": 30}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_LOCATION,
            "KEY_PREFIX": "peel",
            "OPTIONS": _redis_options,
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_LOCATION,
            "KEY_PREFIX": "peel-pages",
            "TIMEOUT": PAGE_CACHE_TIMEOUT,
            "OPTIONS": _redis_options,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "TIMEOUT": PAGE_CACHE_TIMEOUT,
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "500"))},
        },
    }

# Login throttling (django-axes; docs/operations.md "Login throttling"): after LOGIN_FAILURE_LIMIT failures a username
# is locked out, and so is an address, each counted on its own, for LOGIN_LOCKOUT_MINUTES; the attempt answers 429.
# The counts live in Redis with REDIS_URL (shared by every server), otherwise in the database (shared by every
# worker). An administrator unlocks with `manage.py axes_reset_username <name>` or `axes_reset_ip <address>`, or,
# without Redis, by deleting the user's rows under "Access attempts" in the admin.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler" if REDIS_URL else "axes.handlers.database.AxesDatabaseHandler"
AXES_CACHE = "default"
# The client's address: REMOTE_ADDR, or behind LOGIN_PROXY_COUNT proxies the address they append to X-Forwarded-For.
if _proxy_count := int(os.environ.get("LOGIN_PROXY_COUNT", "0")):
    AXES_IPWARE_PROXY_COUNT = _proxy_count
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# After a save, re-render the pages it invalidated in a background thread of the saving process (reports/caching.py).
PAGE_WARM_AFTER_SAVE = env_bool("PAGE_WARM_AFTER_SAVE", True)

# Security. Production defaults are strict; each can be turned off for a deployment behind a TLS-terminating proxy.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEVELOPMENT)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEVELOPMENT else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEVELOPMENT)
if _proxy_ssl_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    # e.g. X-Forwarded-Proto: only when the proxy overwrites that header on every request it forwards.
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")

# Content-Security-Policy, same shape as Django 6's SECURE_CSP (peel.middleware until we move to Django 6).
# Scripts only from our own static files (chart data travels in json_script, which is not executed);
# plotly sets inline styles on the chart elements it draws, so styles need 'unsafe-inline'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The public read-only API (reports/api, docs/api.md): JSON only, no sessions or logins, errors as JSON.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "reports.api.views.api_exception_handler",
    # Behind N proxies that each append to X-Forwarded-For, the throttle counts the address N hops back.
    "NUM_PROXIES": int(os.environ["API_NUM_PROXIES"]) if os.environ.get("API_NUM_PROXIES") else None,
}
# Requests per address, counted in the default cache (per process unless that cache is shared); empty: no limit.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/minute") or None
SPECTACULAR_SETTINGS = {
    "TITLE": "PEEL dashboard open data API",
    "DESCRIPTION": (
        "Read-only HMICFRS PEEL inspection grades, reports, findings and amendments, as the dashboard shows them. "
        "Grades from 2021/22 use a five-tier scale (adds Adequate) and are not directly comparable with earlier rounds. "
        "Contains HMICFRS material, Crown copyright, reused under the Open Government Licence v3.0."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "LICENSE": {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    },
}
# Cross-origin reads (GET, HEAD, OPTIONS) are open on these paths: public data for other sites and notebooks.
CORS_PUBLIC_READ_PATHS = ("/api/", "/feed/")

# Structured logs: one JSON object per line on stderr (peel/logging.py).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "peel.logging.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "axes.apps": {"level": "WARNING"},  # not its "BEGIN" line on every start and command; lockouts still log
    },
}
