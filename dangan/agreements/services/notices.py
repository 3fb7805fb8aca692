"""Public notices of changes to the services (annex 1 §五, annex 2 §六; R29)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.policies import staff_of
from dangan.agreements import events
from dangan.agreements.models import Notice
from dangan.agreements.policies import can_publish_notice
from dangan.agreements.services.common import raise_if
from dangan.audit.services import record
from dangan.core.errors import PermissionDenied


def notice_publish(*, actor: Any, title: str, body: str, effective_on: datetime.date) -> Notice:
    staff = staff_of(actor)
    if staff is None or not can_publish_notice(actor, staff.agency):
        raise PermissionDenied(_("只有审批负责人或系统管理员可以发布公告"))
    title, body = title.strip(), body.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("请填写公告标题")]
    elif len(title) > 100:
        errors["title"] = [_("不能超过%(n)d个字") % {"n": 100}]
    if not body:
        errors["body"] = [_("请填写公告内容")]
    elif len(body) > 10000:
        errors["body"] = [_("不能超过%(n)d个字") % {"n": 10000}]
    raise_if(errors, _("公告填写有误，请按提示修改"))
    with transaction.atomic():
        notice = Notice.objects.create(
            agency=staff.agency, title=title, body=body, effective_on=effective_on,
            published_at=timezone.now(), published_by=actor,
        )  # fmt: skip
        record(
            actor=actor,
            action=events.NOTICE_PUBLISHED,
            subject=notice,
            after={"title": title, "effective_on": effective_on},
        )
    return notice
