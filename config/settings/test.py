"""Settings for the test suite: same as base, but quick password hashing."""

from config.settings.base import *  # noqa: F403  (settings modules compose by star import)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; base keeps Argon2
DEBUG = False
