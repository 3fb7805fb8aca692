"""Shared fixtures: agencies, staff of each role, dossiers, an API client, a headless Chromium."""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from dangan.agencies.loading import load_agencies
from dangan.agencies.models import Agency, Staff, StaffRole
from dangan.demo.synthetic import Synth
from dangan.dossiers.models import Dossier, Person

PASSWORD = "Test-password-2026"
CHROMIUM = os.environ.get("DANGAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture
def agencies(db: Any) -> dict[str, Agency]:
    load_agencies()
    return {a.code: a for a in Agency.objects.all()}


@pytest.fixture
def make_staff(agencies: dict[str, Agency]) -> Callable[..., Any]:
    counter = {"n": 0}

    def make(agency_code: str, *roles: str, username: str | None = None) -> Any:
        counter["n"] += 1
        user = get_user_model().objects.create_user(
            username=username or f"u{counter['n']}_{agency_code}", password=PASSWORD
        )
        staff = Staff.objects.create(user=user, agency=agencies[agency_code], full_name=f"测试{counter['n']}")
        for role in roles:
            StaffRole.objects.create(staff=staff, role=role)
        return user

    return make


@pytest.fixture
def synth() -> Synth:
    return Synth(seed=7)


@pytest.fixture
def make_dossier(agencies: dict[str, Agency], synth: Synth) -> Callable[..., Dossier]:
    counter = {"n": 0}

    def make(agency_code: str, **person_fields: Any) -> Dossier:
        counter["n"] += 1
        p = synth.person()
        values = {
            "id_number": p.id_number,
            "name": p.name,
            "sex": p.sex,
            "birth_date": p.birth_date,
            "ethnic_group": p.ethnic_group,
            "household_region": p.household_region,
            "phone": p.phone,
        }
        values.update(person_fields)
        person = Person.objects.create(**values)
        holder = agencies[agency_code]
        return Dossier.objects.create(
            person=person,
            number=f"T{counter['n']:06d}",
            holding_agency=holder,
            custodian_id=holder.default_custodian_id or holder.pk,
            received_on=datetime.date(2024, 3, 1),
            barcode=f"TEST{agency_code}{counter['n']:06d}",
        )

    return make


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.set_default_timeout(30000)
    yield tab
    context.close()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded and generated files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
