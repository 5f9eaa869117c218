"""Settings for the congress management system.

Everything that differs between a laptop and production comes from the environment.
Defaults are safe: DEBUG is off unless DJANGO_DEBUG is set, and the process refuses to start
with DEBUG off and the development secret key.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# Only ever valid with DEBUG on; the check below refuses it in production.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-do-not-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off (set DJANGO_DEBUG=1 for local development)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files (CSP 'self')
    "django_filters",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "anymail",
    # Our apps, lowest first (the dependency graph in docs/architecture.md).
    "common",
    "members",
    "congress",
    "registrations",
    "sessions.apps.ProgrammeConfig",
    "cfp",
    "badges",
    "attendance",
    "messaging",
    "travel",
    "privacy",
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers compressed (venue Wi-Fi), with an ETag from their content: a
    # repeat visit gets 304 Not Modified (static files: WhiteNoise, hashed names, gzip).
    "django.middleware.gzip.GZipMiddleware",
    "common.conditional.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, MessageMiddleware and django-csp's CSPMiddleware, answering
    # the same with less work per request (common/middleware.py).
    "common.middleware.LocaleMiddleware",
    "common.input.RefuseUnstorableQueryMiddleware",
    "common.database.DatabaseBusyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "common.private_links.PrivateLinkMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "privacy.accounts.LoginRateLimitMiddleware",
    "privacy.accounts.TwoFactorMiddleware",
    "common.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "congress.middleware.CongressTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "common.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# Time limits of every statement (common.database). DATABASE_TIME_LIMITS says which set a
# process gets: "web" (the default, and what gunicorn.conf.py sets) or "command" (manage.py
# sets it for its commands, the task worker db_worker included, except runserver).
DATABASE_TIME_LIMITS = os.environ.get("DATABASE_TIME_LIMITS", "web")
if DATABASE_TIME_LIMITS == "command":
    DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("COMMAND_STATEMENT_TIMEOUT_MS", "600000"))
    DATABASE_LOCK_TIMEOUT_MS = int(os.environ.get("COMMAND_LOCK_TIMEOUT_MS", "60000"))
else:
    DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("WEB_STATEMENT_TIMEOUT_MS", "5000"))
    DATABASE_LOCK_TIMEOUT_MS = int(os.environ.get("WEB_LOCK_TIMEOUT_MS", "2000"))
# Django's PostgreSQL connection pool (psycopg_pool), one per process, shared by its threads:
# DATABASE_POOL_MAX_SIZE connections at most (0: no pool, one connection per thread).
# gunicorn.conf.py sets it to the number of threads of a worker.
DATABASE_POOL_MAX_SIZE = int(os.environ.get("DATABASE_POOL_MAX_SIZE", "0"))
# The PostgreSQL server's own log: an error is logged with the failing statement (its values
# inline: names, e-mail addresses) and a DETAIL line quoting the row ("Key (email)=(...)").
# With DATABASE_QUIET_ERROR_LOG (the default) each connection asks the server to log neither
# (log_min_error_statement=panic, log_error_verbosity=terse); the database role needs the
# right to set them (a superuser, or on PostgreSQL 15+ `GRANT SET ON PARAMETER ...`, see
# docs/operations.md). Set it to 0 only where the server is configured so already.
DATABASE_QUIET_ERROR_LOG = os.environ.get("DATABASE_QUIET_ERROR_LOG", "1") == "1"
# Server-side parameters and prepared statements on PostgreSQL (psycopg). Set
# DATABASE_PREPARED_STATEMENTS=0 behind a connection pooler in transaction mode (PgBouncer
# before 1.21), which cannot keep a prepared statement between transactions.
DATABASE_PREPARED_STATEMENTS = os.environ.get("DATABASE_PREPARED_STATEMENTS", "1") == "1"
DATABASE_PREPARE_THRESHOLD = int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "5"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # libpq sends these when the connection opens: no extra round trip (0 means no limit).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS} "
        f"-c lock_timeout={DATABASE_LOCK_TIMEOUT_MS}"
    ) + (
        " -c log_min_error_statement=panic -c log_error_verbosity=terse"
        if DATABASE_QUIET_ERROR_LOG
        else ""
    )
    if DATABASE_PREPARED_STATEMENTS:
        # Parameters sent apart from the SQL (no quoting in Python), and a statement run
        # DATABASE_PREPARE_THRESHOLD times on a connection prepared there: PostgreSQL then
        # skips parsing and planning it (the door's scan and a registration repeat the same
        # few statements hundreds of times a second).
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = DATABASE_PREPARE_THRESHOLD
    if DATABASE_POOL_MAX_SIZE > 0:
        # A pooled connection goes back to the pool after each request (no CONN_MAX_AGE).
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": min(2, DATABASE_POOL_MAX_SIZE),
            "max_size": DATABASE_POOL_MAX_SIZE,
            # A request waiting this long for a free connection fails (PoolTimeout).
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache. A Redis outage degrades (common.cache): short socket timeouts, so a
# request waits at most about REDIS_TIMEOUT seconds on a Redis that does not answer.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.25"))
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
            },
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# After a cache error, skip the cache for this long (common.cache).
CACHE_RETRY_AFTER_SECONDS = int(os.environ.get("CACHE_RETRY_AFTER_SECONDS", "5"))
# The public programme's rendered session list, kept per congress, language and programme
# version (sessions.programme_cache); 0 renders it on every request and validates the page
# by its content instead.
PROGRAMME_CACHE_SECONDS = int(os.environ.get("PROGRAMME_CACHE_SECONDS", "3600"))
# A congress's registration configuration (categories, questions, fee rules, country groups,
# settings) is kept in each process's memory while unchanged (registrations.config_cache);
# every change shows at once, and this is the longest it is kept for changes no signal
# reports (raw SQL).
REGISTRATION_CONFIG_SECONDS = int(os.environ.get("REGISTRATION_CONFIG_SECONDS", "60"))
# What is deployed (the commit, set by the deployment): a new release gives cached pages new
# keys and ETags, so no browser keeps a page of the previous code.
RELEASE = os.environ.get("RELEASE", "")
# /healthz (common.health): a task waiting longer than this means no worker runs; a failed
# e-mail reports the mail server down for this long unless a later one is sent.
HEALTH_TASK_MAX_WAIT_SECONDS = int(os.environ.get("HEALTH_TASK_MAX_WAIT_SECONDS", "300"))
HEALTH_MAIL_ERROR_SECONDS = int(os.environ.get("HEALTH_MAIL_ERROR_SECONDS", "900"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Door staff land on the scanner, everyone else on the home page (badges.views.after_login).
LOGIN_REDIRECT_URL = "badges:after_login"
LOGOUT_REDIRECT_URL = "congress:home"

# Internationalisation: French, English and Arabic ship; Arabic is right-to-left.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files (CVs, bank statements) live outside the web root and are served by views
# that check permissions; there is deliberately no MEDIA_URL route.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
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

# Private links trade their token for a cookie this old at most (common.private_links).
PRIVATE_LINK_COOKIE_AGE = int(os.environ.get("PRIVATE_LINK_COOKIE_AGE", str(14 * 24 * 3600)))
# Uploads: the files of one request may not pass MAX_UPLOAD_BYTES; past it the request is
# no longer read (common.uploads.LimitedUploadHandler). The reverse proxy should refuse
# bodies a little larger than this before they reach the app (README, Production).
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "common.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Background work: one task interface (django-tasks). Immediate by default; production sets
# TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs `python manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "congress@example.org")
# Every e-mail is sent by a task (common.mail): a failed attempt is retried after
# EMAIL_RETRY_BASE_DELAY seconds, doubling up to EMAIL_RETRY_MAX_DELAY, EMAIL_MAX_ATTEMPTS in all.
EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "8"))
EMAIL_RETRY_BASE_DELAY = int(os.environ.get("EMAIL_RETRY_BASE_DELAY", "60"))
EMAIL_RETRY_MAX_DELAY = int(os.environ.get("EMAIL_RETRY_MAX_DELAY", "21600"))
EMAIL_MESSAGE_ID_DOMAIN = os.environ.get("EMAIL_MESSAGE_ID_DOMAIN", "congress.invalid")
# An e-mail service instead of SMTP (django-anymail): EMAIL_BACKEND names its backend, e.g.
# anymail.backends.postmark.EmailBackend, and every ANYMAIL_* variable becomes a setting of
# it: ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_MAILGUN_API_KEY, ANYMAIL_WEBHOOK_SECRET
# ("user:password" of the bounce webhook's basic authentication), ...
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and value
}

STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "common.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "common.api.domain_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Congress management API",
    "DESCRIPTION": "Public programme, registration and on-site check-in for NGO congresses.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/docs/ loads Swagger UI from our own static files: the CSP allows scripts and styles
    # from 'self' only, and venues are often offline. No online validator either.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # One error body (`Error`) documented on every operation (common/api_schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api_schema.add_error_responses",
    ],
    # Several models have "kind"/"status" choice sets; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "CongressKindEnum": "congress.models.Congress.Kind",
        "SessionKindEnum": "sessions.models.Session.Kind",
        "CheckpointKindEnum": "badges.models.Checkpoint.Kind",
        "RegistrationCategoryKindEnum": "registrations.models.RegistrationCategory.Kind",
        "QuestionKindEnum": "cfp.models.Question.Kind",
        "CongressStatusEnum": "congress.models.Congress.Status",
        "SubmissionStatusEnum": "cfp.models.Submission.Status",
        "SessionStatusEnum": "sessions.models.Session.Status",
        "RegistrationStatusEnum": "registrations.models.Registration.Status",
        "MembershipStatusEnum": "members.models.Membership.Status",
        "ErasureRequestStatusEnum": "privacy.models.ErasureRequest.Status",
        "MailingStatusEnum": "messaging.models.Mailing.Status",
        "PaymentMethodEnum": "registrations.models.Registration.PaymentMethod",
        "RequestedPaymentMethodEnum": [("card", "card"), ("transfer", "transfer")],
    },
}

# Security defaults (see STYLE.md section 9). Production runs behind a TLS reverse proxy.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preload only declares eligibility for the browsers' HSTS list; opt out with
# SECURE_HSTS_PRELOAD=0 on a domain whose subdomains are not all served over HTTPS.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https://checkout.stripe.com"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Two-factor authentication (TOTP, django-otp): the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Congress management")
# Rate limits, "attempts/seconds" per client address (and per username for API tokens).
LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10/300")
API_TOKEN_RATE_LIMIT = os.environ.get("API_TOKEN_RATE_LIMIT", "10/300")
# Public registration (form, group form, API) per client address: an NGO office behind one
# address may register a few dozen people in an hour, a script may not register thousands.
REGISTRATION_RATE_LIMIT = os.environ.get("REGISTRATION_RATE_LIMIT", "30/3600")
# "Send me my private link again", per client address and per address asked for; password
# reset requests per client address.
LOST_LINK_RATE_LIMIT = os.environ.get("LOST_LINK_RATE_LIMIT", "5/900")
PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5/900")
LOGIN_FAILURE_AUDIT_RATE = "5/900"  # the 5th failure for one username in 15 min is audited
# Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: ignore the header).
RATELIMIT_TRUSTED_PROXY_COUNT = int(os.environ.get("RATELIMIT_TRUSTED_PROXY_COUNT", "0"))
# Encrypted fields (common.crypto) read their keys from FIELD_ENCRYPTION_KEYS; without it a
# published development key is used, but only when DEBUG is on.

# Never log personal data or tokens: every handler passes records through
# common.log_filters.PersonalDataFilter (no request bodies, SQL parameters or exception
# messages; e-mail addresses and token-like strings masked). Django's own loggers write to
# the same handler instead of Django's defaults (whose admin e-mails carry the request).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "common.log_filters.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Languages a congress may work in (interpretation, sessions, submissions). The interface
# itself ships in LANGUAGES; congresses often also work in Spanish.
WORKING_LANGUAGES = [*LANGUAGES, ("es", _("Spanish"))]
