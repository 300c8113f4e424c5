"""Settings for Tawasul, read from environment variables with safe defaults.

The embedded default (one machine, no configuration) runs on a SQLite file in WAL mode under
``TAWASUL_DATA_DIR``; ``DATABASE_URL`` switches to PostgreSQL for the scaled set-up, and
``REDIS_URL`` switches the real-time layer from in-memory to Redis.
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TAWASUL_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# The one production switch (see docs/deploy.md "Settings for production"): served over TLS,
# behind a proxy or not. Each setting it turns on can also be set on its own further down.
TAWASUL_SECURE = _env_bool("TAWASUL_SECURE", default=False)


def _secret_key() -> str:
    """SECRET_KEY or the file TAWASUL_SECRET_KEY_FILE names; otherwise, in the embedded default
    only, a random key kept in the data directory.

    A per-installation file beats a key in the repository: a clone never shares its sessions
    and tokens with another clone. A production install (TAWASUL_SECURE on) must be given its
    key: a key made up on one web host would differ on the next, and a lost data directory
    would silently sign everyone out and void every keyed hash.
    """
    if key := os.environ.get("SECRET_KEY", "").strip():
        return key
    if key_path := os.environ.get("TAWASUL_SECRET_KEY_FILE", "").strip():
        try:
            key = Path(key_path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"TAWASUL_SECRET_KEY_FILE={key_path} cannot be read: {error.strerror}."
            ) from None
        if not key:
            raise ImproperlyConfigured(f"TAWASUL_SECRET_KEY_FILE={key_path} is empty.")
        return key
    if TAWASUL_SECURE and not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: with TAWASUL_SECURE on and DEBUG off, set SECRET_KEY or "
            "TAWASUL_SECRET_KEY_FILE (a file holding the key) to the same value on every web "
            "host. Make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = _env_bool("DEBUG", default=False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "tawasul.core.admin_site.TawasulAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    # Only for its templates and static files: /api/docs loads Swagger UI from this origin
    # (without the app in INSTALLED_APPS django-ninja falls back to a CDN).
    "ninja",
    "tawasul.core",
    "tawasul.accounts",
    "tawasul.directory",
    "tawasul.residents",
    "tawasul.interactions",
    "tawasul.cases",
    "tawasul.knowledge",
    "tawasul.desk",
    "tawasul.omnichannel",
    "tawasul.portal",
    "tawasul.voice",
    "tawasul.insights",
    "tawasul.sim",
    "tawasul.workforce",
    "tawasul.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tawasul.core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tawasul.urls"
ASGI_APPLICATION = "tawasul.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tawasul" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "tawasul.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        # Under ASGI every request runs in a thread of its own: persistent per-thread
        # connections would pile up, so connections are pooled (PostgreSQL) or per request.
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue instead of failing with "database is locked" on upgrade, and the project's
    # backend lines this process's writers up fairly (see tawasul/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "tawasul.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }
    # A file, not :memory:, so concurrency tests exercise the same locking as production.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "16")),
            "timeout": 10,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "desk:login"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tawasul" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Qatar")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "tawasul" / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"

# --- Real time and background work ------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CHANNEL_LAYERS = {
    "default": (
        {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
        if REDIS_URL
        else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    )
}
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Reverse proxies (addresses or CIDR networks, comma-separated) whose X-Forwarded-For is
# believed; none by default, so a client cannot pick its own address (tawasul.core.net).
TAWASUL_TRUSTED_PROXIES = [
    entry.strip()
    for entry in os.environ.get("TAWASUL_TRUSTED_PROXIES", "").split(",")
    if entry.strip()
]
for _proxy in TAWASUL_TRUSTED_PROXIES:
    try:  # a typo must stop the start, not turn into a 500 on every sign-in
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TAWASUL_TRUSTED_PROXIES: {_proxy!r} is not an address or network"
        ) from None

# --- Production: TLS, behind a proxy or not (docs/deploy.md "Settings for production") --------
# TAWASUL_SECURE=1 turns every one of these on; each TAWASUL_* below overrides it on its own.
# Off by default: the embedded default serves plain HTTP on 127.0.0.1.
SECURE_SSL_REDIRECT = _env_bool("TAWASUL_SSL_REDIRECT", default=TAWASUL_SECURE)
# A load balancer's health probe speaks plain HTTP to the web host; a redirect would fail it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(
    os.environ.get("TAWASUL_HSTS_SECONDS", str(365 * 24 * 3600 if TAWASUL_SECURE else 0))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool(
    "TAWASUL_HSTS_INCLUDE_SUBDOMAINS", default=TAWASUL_SECURE
)
SECURE_HSTS_PRELOAD = _env_bool("TAWASUL_HSTS_PRELOAD", default=TAWASUL_SECURE)
SESSION_COOKIE_SECURE = _env_bool("TAWASUL_SECURE_COOKIES", default=TAWASUL_SECURE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE


def _proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto`` or ``X-Forwarded-Proto: https`` → Django's META name and value.

    Only for a proxy that always sets (and so overwrites) this header: trusted blindly, it
    would let any client claim HTTPS.
    """
    if not value.strip():
        return None
    name, _sep, expected = value.partition(":")
    if not name.strip() or any(c.isspace() for c in name.strip()):
        raise ImproperlyConfigured(
            f"TAWASUL_SECURE_PROXY_SSL_HEADER={value!r}: expected a header name such as "
            "'X-Forwarded-Proto', optionally followed by ': https'."
        )
    meta = "HTTP_" + name.strip().upper().replace("-", "_")
    return (meta, expected.strip() or "https")


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(os.environ.get("TAWASUL_SECURE_PROXY_SSL_HEADER", ""))

# --- Content-Security-Policy (tawasul.core.csp; docs/deploy.md) ------------------------------
# Same name and shape as Django 6's SECURE_CSP, so moving to its middleware is a one-line change.
# No inline script or style anywhere: every page's code is a static file of this origin, so an
# injected <script> or on* handler does not run. connect-src also gets ws(s)://<this host>
# per request, for the desk and wallboard sockets in browsers that do not map 'self' to ws.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # data: for the icons Swagger UI's and the admin's stylesheets embed.
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if csp_report_uri := os.environ.get("TAWASUL_CSP_REPORT_URI", "").strip():
    SECURE_CSP["report-uri"] = [csp_report_uri]

# --- Tawasul -------------------------------------------------------------------------------
TAWASUL = {
    "ATTACHMENT_MAX_BYTES": int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))),
    "ATTACHMENTS_PER_CASE": int(os.environ.get("ATTACHMENTS_PER_CASE", "20")),
    "DEFAULT_COUNTRY": os.environ.get("DEFAULT_COUNTRY", "QA"),
    # Business hours past the resolution due time before the next escalation level fires.
    "ESCALATION_STEP_HOURS": float(os.environ.get("ESCALATION_STEP_HOURS", "4")),
}
# JSON bodies and form fields (file parts are not counted; they have ATTACHMENT_MAX_BYTES).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- E-mail (outbound replies and acknowledgements) ---------------------------------------------
# The demo points SMTP at the local sink started by `tawasul run` (see the omnichannel room).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "2526"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tawasul 109 <care@tawasul.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
