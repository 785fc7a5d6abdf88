"""Settings for the program-info and admissions portal.

One module for every environment: everything that differs between a laptop, CI and
production is read from environment variables (or a `.env` file beside manage.py).
The README lists each variable with its default.
"""

import datetime
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already in the environment win over the file. The test suite's settings
# (portal/test_settings.py) turn the file off: tests never depend on a developer's .env.
if env.bool("READ_DOT_ENV", default=True):
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), or set "
            "DEBUG=true for local development. `make run` writes both to .env for you."
        )
    SECRET_KEY = "insecure-development-only-key"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form sent with an expired token comes back with what was typed (the request-info form)
# or says what happened, in the site's look and the page's language.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

INSTALLED_APPS = [
    # Model translation (Spanish columns beside the English ones); before the admin.
    "modeltranslation",
    # Django's admin with the project's site (portal/admin.py).
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "axes",
    "portal",
    "roles",
    "programs",
    "inquiries",
    "visits",
    "appointments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before WhiteNoise, so that static responses carry its headers and its refusals hold.
    "portal.middleware.ResponseHardeningMiddleware",
    "portal.middleware.RequestSanityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address alone (/es/...); English addresses have no prefix.
    "portal.i18n.PathLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

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
                "portal.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL (or REDIS_URL) picks the cache; several app servers must share one, e.g. Redis.
CACHES = {
    "default": env.cache_url(
        "CACHE_URL", default=env.str("REDIS_URL", default="") or "locmemcache://portal"
    ),
    # Rendered public pages, in each process's memory; the version that says whether a page
    # is still current lives in "default" (portal/pagecache.py).
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "OPTIONS": {"MAX_ENTRIES": env.int("PUBLIC_PAGE_CACHE_ENTRIES", default=2000)},
    },
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "portal.cache.RedisCache"  # the same, with clients reused
# Whole public pages are cached this long (0 turns the page cache off); edits invalidate them.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=600)
# A process trusts its tracked copy of the content version this long at most, even if the
# invalidation from Redis never arrives (a silently dead connection): edits show within it.
CONTENT_VERSION_MAX_AGE = env.float("CONTENT_VERSION_MAX_AGE", default=1.0)
# While one worker renders a changed page, the others serve its previous copy this long at
# most; the render lock in the shared cache expires after it too (portal/pagecache.py).
PUBLIC_PAGE_STALE_SECONDS = env.int("PUBLIC_PAGE_STALE_SECONDS", default=3)
# How long browsers (max-age) and a CDN (s-maxage) may keep a public page before they must
# revalidate it; a CDN cannot see our invalidations, so keep both short.
PUBLIC_PAGE_MAX_AGE = env.int("PUBLIC_PAGE_MAX_AGE", default=300)
PUBLIC_PAGE_CDN_MAX_AGE = env.int("PUBLIC_PAGE_CDN_MAX_AGE", default=600)

# django-axes first: it refuses a login for a locked-out username and address before the
# password is even checked. It needs the request, so tests sign in with force_login.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing: after this many failures for one username from one address, that pair
# is locked out for an hour; a successful login clears the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(hours=env.float("AXES_COOLOFF_HOURS", default=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The same client address as the rate limit: behind the load balancer, the hop it appended.
AXES_CLIENT_IP_CALLABLE = "inquiries.clients.client_ip"
AXES_VERBOSE = False
# Password spraying: failed admin logins from one client address, whatever the usernames,
# before that address must wait out the window (portal/login_throttle.py).
ADMIN_LOGIN_FAILURES_PER_ADDRESS = env.int("ADMIN_LOGIN_FAILURES_PER_ADDRESS", default=20)
ADMIN_LOGIN_THROTTLE_SECONDS = env.int("ADMIN_LOGIN_THROTTLE_SECONDS", default=3600)
# Where a login lands when its `next` is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The public site's languages: English at the usual addresses, Spanish under /es/. Staff
# pages (the admin) stay English. Adding a language: README, "Languages".
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True
# The site's own date formats per language, over Django's (portal/formats/<language>/).
FORMAT_MODULE_PATH = ["portal.formats"]
# Content is translated as data (django-modeltranslation: a column per language); a value
# missing in Spanish falls back to the English one, which pages mark as English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Institution pages are Django's flat pages; their Spanish columns need migrations of ours.
MIGRATION_MODULES = {"flatpages": "programs.flatpages_migrations"}

SITE_ID = 1

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
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
# Tests and `make run` serve straight from the finders; production runs collectstatic.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587 ; the console with DEBUG on,
# an SMTP server on localhost otherwise.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    "timeout": env.int("EMAIL_TIMEOUT", default=10),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {key: value for key, value in _smtp_options.items() if value not in (None, "")}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="admissions@ftc.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (django.tasks): email notifications run here. With DEBUG (development and
# tests) they run at once in the request; otherwise they are stored in the database and run
# by `manage.py db_worker`, so a slow or failing mail server never delays a prospect.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default=(
                "django.tasks.backends.immediate.ImmediateBackend"
                if DEBUG
                else "django_tasks_db.DatabaseBackend"
            ),
        )
    }
}
# How often, and after how long, a failed notification email is tried again.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_RETRY_SECONDS = env.int("NOTIFICATION_RETRY_SECONDS", default=60)

# Admissions: where new inquiries are announced, and how fast a new one should be answered.
ADMISSIONS_EMAIL = env.str("ADMISSIONS_EMAIL", default="admissions@ftc.example")
SPEED_TO_LEAD_MINUTES = env.int("SPEED_TO_LEAD_MINUTES", default=60)
# Inquiries untouched for this many days lose their personal data, each status after its own
# age (`manage.py anonymise_inquiries`); counts for reports are kept. Open ones never do.
INQUIRY_RETENTION_DAYS = env.int("INQUIRY_RETENTION_DAYS", default=730)  # closed
INQUIRY_RETENTION_DAYS_APPLIED = env.int("INQUIRY_RETENTION_DAYS_APPLIED", default=730)
INQUIRY_RETENTION_DAYS_ENROLLED = env.int("INQUIRY_RETENTION_DAYS_ENROLLED", default=1095)
INQUIRY_RETENTION_DAYS_HELD = env.int("INQUIRY_RETENTION_DAYS_HELD", default=30)  # as spam
# Request-info submissions allowed per client IP in the window (then a 429 page).
INQUIRY_RATE_LIMIT = env.int("INQUIRY_RATE_LIMIT", default=5)
INQUIRY_RATE_WINDOW_SECONDS = env.int("INQUIRY_RATE_WINDOW_SECONDS", default=600)
# A submission sooner than this after the form was shown adds a point to its spam score
# (autofill is that fast too); a score of INQUIRY_SPAM_HOLD_SCORE holds it for review.
INQUIRY_MIN_FILL_SECONDS = env.int("INQUIRY_MIN_FILL_SECONDS", default=3)
INQUIRY_SPAM_HOLD_SCORE = env.int("INQUIRY_SPAM_HOLD_SCORE", default=3)

# The institution the portal speaks for; shown in the header, footer and consent text.
INSTITUTION_NAME = env.str("INSTITUTION_NAME", default="Florida Technical College")
# The site's public address, for links in email (the unsubscribe link and its
# List-Unsubscribe header), e.g. https://portal.example.edu
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The admin's public address, for the links in staff email (an inquiry, My day), port
# included when there is one, e.g. https://admissions.example.edu. Defaults to SITE_URL.
ADMIN_BASE_URL = env.str("ADMIN_BASE_URL", default=SITE_URL)

# Security headers. The policy is 'self'-only without nonces: public pages are cached
# whole, and a nonce in a cached page would be shared by every visitor.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Behind a TLS-terminating proxy or load balancer that sets X-Forwarded-Proto (and appends
# the client's address to X-Forwarded-For, which the request-info rate limit then trusts).
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
# How many proxies of ours append to X-Forwarded-For (load balancer: 1; CDN + balancer: 2).
TRUSTED_PROXY_HOPS = max(env.int("TRUSTED_PROXY_HOPS", default=1), 1)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO", "propagate": True}},
}
