"""Settings for the shared-responsibility matrix portal.

Everything that differs between machines comes from the environment (see
``portal.env``; every variable may also be given as ``NAME_FILE``). There are
two named modes, chosen by ``PORTAL_ENV``:

- ``development`` (the default, for a newcomer's laptop): DEBUG on, SQLite in
  the project folder, Celery tasks run eagerly in-process, a fixed
  insecure SECRET_KEY.
- ``production``: DEBUG off, and the process refuses to start without
  SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PORTAL_ENV = env_str("PORTAL_ENV", "development")
if PORTAL_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"PORTAL_ENV={PORTAL_ENV!r}: use 'development' or 'production'.")
PRODUCTION = PORTAL_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = env_required("SECRET_KEY", "production refuses to run with a known key.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated).")
else:
    # Development only: a named, obviously insecure key so sessions survive restarts.
    SECRET_KEY = env_str("SECRET_KEY") or "development-only-insecure-key-do-not-deploy"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The portal's own address, for links in emails sent outside a request (reminders,
# publication notices): by default the first allowed host, over HTTPS in production.
SITE_URL = (env_str("SITE_URL") or "").rstrip("/") or (
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://localhost:8000"
)

# The audit log's hash chain is keyed with this; it must stay the same for the
# life of the log, so it is separate from SECRET_KEY in production.
if PRODUCTION:
    AUDIT_HMAC_KEY = env_required("AUDIT_HMAC_KEY", "the audit chain is keyed with it.")
else:
    AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY") or "development-only-audit-key"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's sessions page
    "django_htmx",
    "guardian",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "matrices",
    "accounts",
    "audit",
    "trust",
    # Accounts, email addresses, MFA, SSO and user sessions (django-allauth).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.context.AuditContextMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Refuses writes to those the second-factor policy (MFA_REQUIRED_FOR_WRITERS) stops.
    "portal.middleware.MfaPolicyMiddleware",
    # Last, as django-axes asks: it turns lock-outs into the lock-out response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out username+IP pairs first
    # Username or email address and password (the Django admin's sign-in included).
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "matrices:home"
LOGOUT_REDIRECT_URL = "matrices:home"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# django-guardian: roles are object permissions; no anonymous user row is needed.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

# django-axes: lock a username from one IP after repeated failures, so one
# person's typos never lock out everyone behind the same proxy.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The sign-in form names its identifier "login" (a username or an email address).
AXES_USERNAME_CALLABLE = "accounts.signin.axes_username"
# Number of reverse proxies in front of the app whose X-Forwarded-For is trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Email: an SMTP server from the environment; without EMAIL_HOST, development prints each
# message to the console (`make run` says so) and production refuses to start.
EMAIL_HOST = env_str("EMAIL_HOST") or ""
if PRODUCTION and not EMAIL_HOST:
    raise ImproperlyConfigured("EMAIL_HOST must be set in production: invitations and resets.")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)  # STARTTLS
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)  # TLS from the start
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM") or "SRM Portal <no-reply@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# django-allauth. Nobody signs up on their own: accounts come from an invitation, from a
# superuser, or from single sign-on (SSO_SIGNUP). Sign in with a username or an email address.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"  # an invitation link proves the address already
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False  # sessions end after SESSION_COOKIE_AGE
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[SRM Portal] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
# allauth's own rate limits (password resets, confirmation emails, ...) stay as they are,
# except failed sign-ins: django-axes locks a username per IP (above), so allauth keeps only
# its per-IP limit and one stranger's guesses cannot lock a user out from everywhere.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
# MFA: TOTP with recovery codes, and passkeys (WebAuthn).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER") or "SRM Portal"
# Passkeys need HTTPS, except on http://localhost in development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
# Superusers and holders of the editor, approver or provider-admin role must have a second
# factor before any write: on by default in production.
MFA_REQUIRED_FOR_WRITERS = env_bool("MFA_REQUIRED_FOR_WRITERS", default=PRODUCTION)
SOCIALACCOUNT_ONLY = False
# How long an invitation's emailed link works (a resend issues a new link for as long again).
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# Who single sign-on may make an account for: "invited" (an open invitation to the
# address the identity provider vouches for) or "open" (anyone the provider lets in).
SSO_SIGNUP = env_str("SSO_SIGNUP") or "invited"
if SSO_SIGNUP not in {"invited", "open"}:
    raise ImproperlyConfigured(f"SSO_SIGNUP={SSO_SIGNUP!r}: use 'invited' or 'open'.")
SOCIALACCOUNT_LOGIN_ON_GET = False  # a POST (with its CSRF token) starts a sign-in
# A first SSO sign-in links an existing account only where the identity provider vouches
# for the email address (email_verified) and it is that account's verified address
# (accounts.adapters.SocialAccountAdapter.authenticate_by_email narrows allauth's match).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
USERSESSIONS_TRACK_ACTIVITY = False
# Ending one's other sessions is audited (accounts/sessions.py).
USERSESSIONS_ADAPTER = "accounts.sessions.UserSessionsAdapter"

# Published PDFs carry a PAdES signature made with this key and certificate (PEM text; give
# a file with PDF_SIGNING_KEY_FILE / PDF_SIGNING_CERT_FILE). PDF_SIGNING_CHAIN: the
# intermediate certificates (PEM, optional). Development defaults to the self-signed pair
# `make run` writes into .dev-keys/ (`manage.py signing_keys --dev`). Production without
# them publishes unsigned PDFs, and `manage.py check --deploy` says so (matrices.W001).
DEV_SIGNING_DIR = BASE_DIR / ".dev-keys"


def _dev_pem(name: str) -> str:
    path = DEV_SIGNING_DIR / name
    return "" if PRODUCTION or not path.is_file() else path.read_text(encoding="utf-8")


PDF_SIGNING_KEY = env_str("PDF_SIGNING_KEY") or _dev_pem("signing-key.pem")
PDF_SIGNING_CERT = env_str("PDF_SIGNING_CERT") or _dev_pem("signing-cert.pem")
PDF_SIGNING_CHAIN = env_str("PDF_SIGNING_CHAIN") or ""
PDF_SIGNING_KEY_PASSPHRASE = env_str("PDF_SIGNING_KEY_PASSPHRASE") or ""
PDF_SIGNING_REASON = env_str("PDF_SIGNING_REASON") or "Published by SRM Portal"
if bool(PDF_SIGNING_KEY) != bool(PDF_SIGNING_CERT):
    raise ImproperlyConfigured("Set both PDF_SIGNING_KEY and PDF_SIGNING_CERT, or neither.")
# The largest PDF the verification page and API accept.
VERIFY_MAX_BYTES = env_int("VERIFY_MAX_BYTES", 20 * 1024 * 1024)

# Single sign-on with one OpenID Connect identity provider (Okta, Entra ID, Keycloak,
# Google, ...): OIDC_ISSUER is its issuer URL (the discovery document is read from
# <issuer>/.well-known/openid-configuration); the sign-in page shows "Sign in with
# <OIDC_NAME>". The provider calls back to /accounts/oidc/sso/login/callback/.
OIDC_ISSUER = (env_str("OIDC_ISSUER") or "").rstrip("/")
OIDC_NAME = env_str("OIDC_NAME") or "SSO"
OIDC_SCOPES = (env_str("OIDC_SCOPES") or "openid profile email").split()
# Portal groups that follow a claim of the provider: OIDC_GROUPS_CLAIM names the claim (a
# list of group names, e.g. "groups"), OIDC_GROUP_MAP pairs them, "idp-group=portal-group,...".
# At each SSO sign-in the user's membership of the mapped portal groups matches the claim.
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM") or ""
OIDC_GROUP_MAP: dict[str, list[str]] = {}
for _pair in env_list("OIDC_GROUP_MAP", []):
    _idp_group, _sep, _portal_group = (part.strip() for part in _pair.partition("="))
    if not (_idp_group and _sep and _portal_group):
        raise ImproperlyConfigured(
            f"OIDC_GROUP_MAP: {_pair!r} is not 'idp-group=portal-group' (pairs, comma-separated)."
        )
    OIDC_GROUP_MAP.setdefault(_idp_group, []).append(_portal_group)
if OIDC_GROUP_MAP and not OIDC_GROUPS_CLAIM:
    raise ImproperlyConfigured("OIDC_GROUP_MAP needs OIDC_GROUPS_CLAIM (the claim to read).")
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {"openid_connect": {"APPS": []}}
if OIDC_ISSUER:
    _oidc_client_id = env_str("OIDC_CLIENT_ID") or ""
    _oidc_secret = env_str("OIDC_CLIENT_SECRET") or ""
    if not (_oidc_client_id and _oidc_secret):
        raise ImproperlyConfigured(
            "OIDC_ISSUER is set, so single sign-on needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET "
            "(or OIDC_CLIENT_SECRET_FILE): the client registered for the portal at the provider."
        )
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": "sso",
            "name": OIDC_NAME,
            "client_id": _oidc_client_id,
            "secret": _oidc_secret,
            "settings": {
                "server_url": OIDC_ISSUER,
                "scope": OIDC_SCOPES,
                "oauth_pkce_enabled": True,
            },
        }
    )

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "accounts.context_processors.second_factor",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user@host:5432/name); SQLite in development.
if PRODUCTION:
    _database_url = env_required("DATABASE_URL", "production runs on PostgreSQL.")
else:
    _database_url = env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _database_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts, so two edits queue
    # instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (imports) and rendered PDFs: a folder (MEDIA_ROOT) by default, or, with
# STORAGE_BUCKET set, an S3-compatible bucket that every web process and worker shares
# (AWS, or any S3-protocol server at STORAGE_ENDPOINT_URL). The objects stay private:
# every download goes through the portal, which checks who may have it and audits it.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGE_BUCKET = env_str("STORAGE_BUCKET") or ""
if STORAGE_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": env_str("STORAGE_ENDPOINT_URL") or None,
            "region_name": env_str("STORAGE_REGION") or None,
            # Unset: boto3's own chain (instance role, AWS_* variables, ~/.aws).
            "access_key": env_str("STORAGE_ACCESS_KEY_ID") or None,
            "secret_key": env_str("STORAGE_SECRET_ACCESS_KEY") or None,
            "location": env_str("STORAGE_PREFIX", ""),
            # "path" for most S3-compatible servers; AWS takes either.
            "addressing_style": env_str("STORAGE_ADDRESSING_STYLE") or None,
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves straight from the finders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG and not PRODUCTION

# REST API: the same permissions and services as the pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reads are scoped by the querysets; writes need a signed-in user or a token (401),
    # then the role the service asks for (403).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Writes take JSON; the two uploads (import, a new provider from a file) add multipart.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.throttling.AnonymousRate",
        "accounts.throttling.UserRate",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_METADATA_CLASS": None,  # OPTIONS describes nothing the schema does not
    "DEFAULT_PAGINATION_CLASS": "matrices.api.pagination.Pages",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "matrices.api.errors.api_exception_handler",
}
# Requests per client (IP address for visitors, account for the signed-in), per period
# (second, minute, hour, day); beyond it the API answers 429 with Retry-After.
API_THROTTLE_RATES = {
    "anonymous": env_str("API_THROTTLE_ANONYMOUS") or "300/min",
    "user": env_str("API_THROTTLE_USER") or "1200/min",
    "import": env_str("API_THROTTLE_IMPORT") or "30/hour",
    "pdf": env_str("API_THROTTLE_PDF") or "60/min",
    "failed-token": env_str("API_THROTTLE_FAILED_TOKEN") or "20/min",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "SRM Portal API",
    "DESCRIPTION": (
        "Shared-responsibility matrices: providers, their draft (offerings, parties, domains, "
        "cells, duties), versions and diffs, review, PDFs, imports, audit log and access."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Deep links put a link inside each operation's toggle button (nested interactive
    # controls, which screen readers and keyboards handle badly): off.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    # Operations are grouped by what they act on: /providers/{slug}/cells/ under "cells".
    "SCHEMA_PATH_PREFIX": r"/api/v1(/providers/\{(provider_)?slug\}(?=/[a-z]))?",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "matrices.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OfferingKindEnum": "matrices.models.provider.OfferingKind",
        "PartyRoleEnum": "matrices.models.provider.PartyRole",
        "RoleEnum": "accounts.roles.Role",
        "PrincipalKindEnum": "matrices.api.access.KINDS",
    },
}

# Cache: Redis where CACHE_URL is set (shared by all web workers), else per-process memory.
_cache_url = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "srm"}
    ),
    # Things that never change once made (a published version's page), kept in each
    # process as well, so serving them needs no round trip for their bytes.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "srm-local",
        "OPTIONS": {"MAX_ENTRIES": env_int("LOCAL_CACHE_ENTRIES", 500)},
    },
}

# Celery: a broker URL means a real worker; without one, tasks run eagerly
# in the web process (development and the default test run).
if PRODUCTION:
    _broker = env_required("CELERY_BROKER_URL", "production runs a Celery worker.")
else:
    _broker = env_str("CELERY_BROKER_URL") or ""
CELERY_TASK_ALWAYS_EAGER = not _broker
# Eager tasks never reach a broker; the in-memory one stands in, so that Celery does
# not fall back to (and warn about) a server on localhost.
CELERY_BROKER_URL = _broker or "memory://localhost/"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or _broker or None
# Publishing a version renders its PDFs in the background, so the first reader gets a
# stored file. On by default with a worker; off where tasks run in the request (development,
# the default test run), where it would make the approver wait for every PDF.
PDFS_AT_PUBLICATION = env_bool("PDFS_AT_PUBLICATION", not CELERY_TASK_ALWAYS_EAGER)
# An import whose worker has said nothing for this long has lost its worker.
IMPORT_STALL_SECONDS = env_int("IMPORT_STALL_SECONDS", 120)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Periodic jobs (``celery -A portal beat``): the trust center's expiries, reminders and
# the folding of old reading events into daily counts.
CELERY_BEAT_SCHEDULE = {
    "trust-grants-expire": {"task": "trust.tasks.grants_expire", "schedule": 15 * 60},
    "trust-grants-remind": {"task": "trust.tasks.grants_remind", "schedule": 60 * 60},
    "trust-events-fold": {"task": "trust.tasks.events_fold", "schedule": 24 * 60 * 60},
}

# Trust center ------------------------------------------------------------------------
# How long an approved reader may read unless the approver says (a provider may change
# it), and the longest an approver may choose.
TRUST_DEFAULT_DAYS = env_int("TRUST_DEFAULT_DAYS", 30)
TRUST_MAX_DAYS = env_int("TRUST_MAX_DAYS", 366)
# Readers are emailed this many days before their access ends.
TRUST_REMIND_DAYS = env_int("TRUST_REMIND_DAYS", 7)
# Raw reading events are kept this long (FedRAMP asks for at least 6 months), then
# folded into daily counts.
TRUST_EVENTS_KEEP_DAYS = env_int("TRUST_EVENTS_KEEP_DAYS", 190)
if TRUST_EVENTS_KEEP_DAYS < 183:
    raise ImproperlyConfigured("TRUST_EVENTS_KEEP_DAYS: keep reading events at least 183 days.")
# Access requests accepted per address (IP) per hour; the form also refuses one sent
# faster than a person types or older than a day, and one that fills the honeypot.
TRUST_REQUESTS_PER_HOUR = env_int("TRUST_REQUESTS_PER_HOUR", 5)
# Webhooks never call private, loopback or link-local addresses unless this is on
# (tests, and a deployment whose receivers are on its own network).
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", default=False)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
# Subscription requests accepted per address (IP) per hour, from the form and the API.
TRUST_SUBSCRIPTIONS_PER_HOUR = env_int("TRUST_SUBSCRIPTIONS_PER_HOUR", 10)

# Security headers; the HTTPS-only ones follow the deployment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
# Everything from our own origin; the admin's inline styles are its only exception.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
if OIDC_ISSUER:
    # Chrome holds the redirect that follows a form's POST to form-action: the POST that
    # starts an SSO sign-in answers with a redirect to the identity provider.
    _issuer = urlsplit(OIDC_ISSUER)
    CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {_issuer.scheme}://{_issuer.netloc}"
    )
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", default=False) else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    # django-axes logs every sign-in at INFO; failures and lock-outs stay visible.
    "loggers": {
        "axes": {"level": "WARNING"},
        # Each layout step at INFO; refused resources still log at ERROR.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
