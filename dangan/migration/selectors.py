"""Reads of migration jobs, always scoped to the reader's own agency."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dangan.agencies.policies import staff_of
from dangan.core.errors import NotFound
from dangan.migration.models import ImportJob
from dangan.migration.policies import can_use_migration


def jobs_visible_to(user: Any) -> QuerySet[ImportJob]:
    staff = staff_of(user)
    if staff is None or not can_use_migration(user):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(agency_id=staff.agency_id).select_related("created_by", "custodian")


def job_for(user: Any, job_id: int) -> ImportJob:
    job = jobs_visible_to(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("迁移任务不存在或无权查看"))
    return job
