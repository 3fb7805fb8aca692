"""Settings shared by every environment; the embedded default needs no configuration."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from config.env import env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = env_path("DANGAN_VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("DJANGO_DEBUG", False)
# The embedded default runs without configuration; production.py refuses this key.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-embedded-default-key-for-local-use-only")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "dangan.core",
    "dangan.agencies",
    "dangan.audit",
    "dangan.workdays",
    "dangan.dossiers",
    "dangan.materials",
    "dangan.agreements",
    "dangan.storage",
    "dangan.casework",
    "dangan.transfers",
    "dangan.lending",
    "dangan.reviews",
    "dangan.certificates",
    "dangan.ratings",
    "dangan.portal",
    "dangan.analytics",
    "dangan.migration",
    "dangan.console",
    "dangan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangan.core.middleware.RequestContextMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangan.console.context_processors.console",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dangan.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite: wait for the writer lock instead of failing at once; WAL is set on connect.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
LOGIN_URL = "agencies:login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "agencies:login"

SESSION_COOKIE_AGE = env_int("DANGAN_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True

# Login throttling: failures per username and per address inside the window.
DANGAN_LOGIN_MAX_FAILURES = env_int("DANGAN_LOGIN_MAX_FAILURES", 5)
DANGAN_LOGIN_WINDOW_SECONDS = env_int("DANGAN_LOGIN_WINDOW_SECONDS", 15 * 60)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_path("DANGAN_STATIC_ROOT", VAR_DIR / "staticfiles")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env_path("DANGAN_MEDIA_ROOT", VAR_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

AUTHENTICATION_BACKENDS = ["dangan.agencies.authentication.StaffModelBackend"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dangan.agencies.authentication.StaffTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "dangan.core.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "dangan.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dangan 流动人员人事档案管理服务平台 API",
    "DESCRIPTION": "档案管理服务平台接口。错误统一返回 {code, message, fields}。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "DossierStatusEnum": "dangan.dossiers.models.DossierStatus",
        "GapStatusEnum": "dangan.dossiers.models.GapStatus",
        "DeliveryWayEnum": "dangan.dossiers.delivery.ALL_CODES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dangan.core.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# R12: the ways a dossier may travel (the 2021 national rules add registered post to the two of the
# Yantai notice). Carrying by the person is never allowed and is not a setting.
DANGAN_DELIVERY_WAYS = env_list("DANGAN_DELIVERY_WAYS", ["confidential_courier", "staff_courier", "registered_post"])
# R11: default days a party is given to supply missing materials; reminders start this many days before.
DANGAN_GAP_DEFAULT_DAYS = env_int("DANGAN_GAP_DEFAULT_DAYS", 30)
DANGAN_GAP_REMIND_DAYS_BEFORE = env_int("DANGAN_GAP_REMIND_DAYS_BEFORE", 7)
DANGAN_GAP_ESCALATE_AFTER_DAYS = env_int("DANGAN_GAP_ESCALATE_AFTER_DAYS", 30)

# R31: an application after this local time counts from the next working day.
DANGAN_WORKDAY_CUTOFF = env_str("DANGAN_WORKDAY_CUTOFF", "17:00")

# R41: a return slip not back within this many days is chased; R19: years a deceased person's dossier is kept.
DANGAN_SLIP_CHASE_DAYS = env_int("DANGAN_SLIP_CHASE_DAYS", 30)
DANGAN_DECEASED_KEEP_YEARS = env_int("DANGAN_DECEASED_KEEP_YEARS", 5)

# The address printed in QR codes that parties scan (request letters, certificates).
DANGAN_PUBLIC_URL = env_str("DANGAN_PUBLIC_URL", "http://127.0.0.1:8000")

# R32: working days to rectify a poor rating; certificates' counter time limit in working days.
DANGAN_RECTIFICATION_DAYS = env_int("DANGAN_RECTIFICATION_DAYS", 15)
DANGAN_CERTIFICATE_DAYS = env_int("DANGAN_CERTIFICATE_DAYS", 3)

# R14: days a loan may last (no lending on); R13: readers a consultation names at least.
DANGAN_LOAN_DAYS = env_int("DANGAN_LOAN_DAYS", 7)
DANGAN_MIN_READERS = env_int("DANGAN_MIN_READERS", 2)

# Agency codes of the top of the hierarchy, used by demo data and scoping.
DANGAN_PROVINCE_REGION = "370000"

# Import jobs (dangan.migration): None = inline thread when DEBUG or on SQLite, else `manage.py import_worker`.
DANGAN_JOBS_INLINE: bool | None = env_bool("DANGAN_JOBS_INLINE", False) if "DANGAN_JOBS_INLINE" in os.environ else None
