"""Django's settings, built from the installation's options (workspace/options.py) and
applied once per process: `configure(options)` before anything else touches Django."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from workspace.options import WorkspaceOptions, database_config, secret_key

PACKAGE = Path(__file__).resolve().parent
SESSION_HOURS = 8

_MIDDLEWARE_HEAD = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
_MIDDLEWARE_TAIL = [
    # every page needs a signed-in account unless its view says otherwise
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # a signed-in account refused a page (not found, forbidden): kept in the views log
    "workspace.accounts.refusals.RefusalLog",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "workspace.security.ContentSecurityPolicyMiddleware",
    "workspace.security.NeverStoredMiddleware",
    # django-axes last: it answers a locked-out sign-in before the view
    "axes.middleware.AxesMiddleware",
]


def build_settings(options: WorkspaceOptions) -> dict:
    """Every Django setting of the workspace."""
    trusted = ["workspace.security.TrustedHeaderMiddleware"] if options.trusted_header else []
    return {
        "DEBUG": options.debug,
        "SECRET_KEY": secret_key(options),
        "ALLOWED_HOSTS": list(options.allowed_hosts),
        "ROOT_URLCONF": "workspace.urls",
        "INSTALLED_APPS": [
            "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
            "django.contrib.messages", "django.contrib.staticfiles", "axes",
            "workspace.accounts", "workspace.lists", "workspace.decisions",
        ],
        "MIDDLEWARE": _MIDDLEWARE_HEAD + trusted + _MIDDLEWARE_TAIL,
        "TEMPLATES": [{
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(PACKAGE / "templates")], "APP_DIRS": True,
            "OPTIONS": {"context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]},
        }],
        "DATABASES": {"default": database_config(options)},
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "AUTH_USER_MODEL": "accounts.Account",
        **_authentication(options),
        **_cookies(options),
        **_throttling(options),
        "LANGUAGE_CODE": "fr-fr", "TIME_ZONE": "Europe/Paris", "USE_I18N": True,
        "USE_TZ": True,
        "STATIC_URL": "/static/", "STATICFILES_DIRS": [str(PACKAGE / "static")],
        # a handful of vendored files, found where they are: no collectstatic step
        "WHITENOISE_USE_FINDERS": True, "WHITENOISE_AUTOREFRESH": False,
        "LOGIN_URL": "login", "LOGIN_REDIRECT_URL": "home", "LOGOUT_REDIRECT_URL": "login",
        "RECONCILE_WAREHOUSE": options.warehouse,
        "RECONCILE_WAREHOUSE_SETTINGS": options.warehouse_settings,
        "RECONCILE_EXPORTS": options.exports,
        "RECONCILE_TRUSTED_HEADER": options.trusted_header,
        "RECONCILE_ACCESS_LOG_DAYS": options.access_log_days,
        "LOGGING": _logging(),
    }


def _authentication(options: WorkspaceOptions) -> dict:
    backends = ["axes.backends.AxesStandaloneBackend",
                "django.contrib.auth.backends.ModelBackend"]
    if options.trusted_header:
        backends.append("workspace.security.TrustedHeaderBackend")
    return {
        "AUTHENTICATION_BACKENDS": backends,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.Argon2PasswordHasher",
                             "django.contrib.auth.hashers.PBKDF2PasswordHasher"],
        "AUTH_PASSWORD_VALIDATORS": [
            {"NAME": "django.contrib.auth.password_validation."
                     "UserAttributeSimilarityValidator"},
            {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
             "OPTIONS": {"min_length": 12}},
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
            {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        ],
    }


HSTS_SECONDS = 365 * 24 * 3600


def _cookies(options: WorkspaceOptions) -> dict:
    """Session and CSRF cookies out of scripts' reach, never sent by another site's form,
    Secure behind HTTPS; a session lasts a working day and ends with the browser."""
    https = {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
             "CSRF_TRUSTED_ORIGINS": [f"https://{h}" for h in options.allowed_hosts],
             # browsers keep to HTTPS for this host (HSTS), a year, the host alone
             "SECURE_HSTS_SECONDS": HSTS_SECONDS} if options.https else {}
    return {
        "SESSION_COOKIE_HTTPONLY": True, "SESSION_COOKIE_SAMESITE": "Strict",
        "SESSION_COOKIE_SECURE": options.https, "SESSION_COOKIE_AGE": SESSION_HOURS * 3600,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "CSRF_COOKIE_HTTPONLY": True, "CSRF_COOKIE_SAMESITE": "Strict",
        "CSRF_COOKIE_SECURE": options.https,
        "SECURE_CONTENT_TYPE_NOSNIFF": True, "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        **https,
    }


def _throttling(options: WorkspaceOptions) -> dict:
    """django-axes: after `failure_limit` failed sign-ins for one login from one address,
    that pair is locked for 15 minutes (answer 429)."""
    return {"AXES_FAILURE_LIMIT": options.failure_limit,
            "AXES_COOLOFF_TIME": timedelta(minutes=15),
            "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
            # a login that names no account is counted as a keyed digest, never as typed
            "AXES_USERNAME_CALLABLE": "workspace.accounts.throttle.attempted_login",
            "AXES_RESET_ON_SUCCESS": True,
            "AXES_LOCKOUT_TEMPLATE": "registration/locked.html",
            # the access log would keep every login and address: the workspace keeps its own
            "AXES_DISABLE_ACCESS_LOG": True}


def _logging() -> dict:
    """Warnings and errors to the console (journald under systemd). Django's request
    logger names the address, which carries flag ids, but where anything may be typed:
    the console keeps only what cannot be a person of it (workspace.addresses)."""
    return {"version": 1, "disable_existing_loggers": False,
            "filters": {"kept_addresses": {"()": "workspace.addresses.KeptAddresses"}},
            "handlers": {"console": {"class": "logging.StreamHandler",
                                     "filters": ["kept_addresses"]}},
            # on the loggers too, so that every handler gets the kept address
            "loggers": {name: {"filters": ["kept_addresses"]}
                        for name in ("django.request", "django.security.csrf")},
            "root": {"handlers": ["console"], "level": "WARNING"}}


def configure(options: WorkspaceOptions) -> None:
    """Apply the settings and start Django (once per process)."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(**build_settings(options))
    django.setup()
