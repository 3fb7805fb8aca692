"""The embedded default for `make demo`: SQLite and local files, debug pages on."""

from config.env import env_bool
from config.settings.base import *  # noqa: F403  (settings modules compose by star import)

DEBUG = env_bool("DJANGO_DEBUG", True)
