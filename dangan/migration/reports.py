"""Downloading a job's error report."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from dangan.migration.models import ImportJob
from dangan.migration.services import media_path
from dangan.migration.template import XLSX


def report_response(job: ImportJob) -> FileResponse:
    path = media_path(job.report_file)
    if not job.report_file or not path.is_file():
        raise Http404(_("该任务没有错误报告"))
    filename = f"迁移错误报告-{job.pk}.xlsx"
    response = FileResponse(path.open("rb"), content_type=XLSX, as_attachment=True, filename=filename)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
