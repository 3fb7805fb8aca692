"""Test settings with the migration app installed (deleted at integration)."""

from config.settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "dangan.migration"]  # noqa: F405
ROOT_URLCONF = "dangan.migration.tests.urls_for_helper"
