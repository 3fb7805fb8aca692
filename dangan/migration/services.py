"""The only code that writes migration jobs: submit files, confirm a clean dry run, run a job.

The project has no job queue yet; this is a small one. A job is a row (queued → running → done or
failed). `import_worker` takes queued jobs with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; the
embedded default (DEBUG or SQLite, or `DANGAN_JOBS_INLINE = True`) runs each job in a thread of the
web process as soon as the submission commits, one at a time.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.models import Agency
from dangan.agencies.policies import staff_of
from dangan.core.errors import Conflict, PermissionDenied, ValidationFailed
from dangan.migration import importer, progress
from dangan.migration.columns import LEDGER_SHEET, MATERIALS_SHEET
from dangan.migration.models import ImportJob, JobStatus
from dangan.migration.policies import can_import, custodian_choices
from dangan.migration.reading import EXTENSIONS, Source
from dangan.migration.selectors import job_for

logger = logging.getLogger(__name__)

FOLDER = "imports"
REPORT_NAME = "report.xlsx"
MAX_BYTES = 200 * 1024 * 1024
STALE_AFTER = datetime.timedelta(minutes=10)


def inline_enabled() -> bool:
    configured = getattr(settings, "DANGAN_JOBS_INLINE", None)
    if configured is not None:
        return bool(configured)
    return bool(settings.DEBUG) or connection.vendor == "sqlite"


def media_path(name: str) -> Path:
    """A job's file: relative names live under MEDIA_ROOT; the command line may name a file where it lies."""
    path = Path(name)
    return path if path.is_absolute() else Path(settings.MEDIA_ROOT) / path


def _extension_error(upload: UploadedFile[Any] | None) -> str | None:
    if upload is None:
        return None
    if Path(upload.name or "").suffix.lower() not in EXTENSIONS:
        return _("只接受 .xlsx 或 .csv 文件（请使用平台提供的模板）")
    if (upload.size or 0) > getattr(settings, "DANGAN_IMPORT_MAX_BYTES", MAX_BYTES):
        return _("文件过大")
    return None


def _store(upload: UploadedFile[Any], folder: str, stem: str) -> str:
    name = f"{folder}/{stem}{Path(upload.name or '').suffix.lower()}"
    target = media_path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return name


def _custodian(agency: Agency, custodian_id: int | None) -> Agency | None:
    choices = custodian_choices(agency)
    if custodian_id is None:
        default = agency.default_custodian
        return default if default in choices else agency
    return next((a for a in choices if a.pk == custodian_id), None)


def job_submit(
    *,
    actor: Any,
    ledger: UploadedFile[Any] | None,
    materials: UploadedFile[Any] | None = None,
    dry_run: bool = True,
    custodian_id: int | None = None,
    default_source: str = "",
    renumber: bool = False,
) -> ImportJob:
    """Accept a ledger (and a catalogue, for CSV) of the actor's agency; the run starts after commit."""
    staff = staff_of(actor)
    if staff is None or not can_import(actor, staff.agency):
        raise PermissionDenied(_("只有存档机构的信息采集员或系统管理员可以迁移历史数据"))
    agency = staff.agency
    errors: dict[str, list[str]] = {}
    if ledger is None:
        errors["ledger"] = [_("请选择档案台账文件")]
    elif message := _extension_error(ledger):
        errors["ledger"] = [message]
    if message := _extension_error(materials):
        errors["materials"] = [message]
    custodian = _custodian(agency, custodian_id)
    if custodian is None:
        errors["custodian"] = [_("实物保管机构只能是本机构、其指定的保管机构或上级中心（R47）")]
    default_source = (default_source or "").strip()
    if len(default_source) > 100:
        errors["default_source"] = [_("默认档案来源不能超过100字")]
    if errors:
        raise ValidationFailed(_("提交的迁移文件有误，请按提示修改"), fields=errors)
    assert ledger is not None
    assert custodian is not None
    folder = f"{FOLDER}/{timezone.localdate():%Y%m}/{uuid.uuid4().hex}"
    with transaction.atomic():
        job = ImportJob.objects.create(
            agency=agency, custodian=custodian, created_by=actor, dry_run=dry_run, renumber=renumber,
            default_source=default_source, folder=folder, ledger_file=_store(ledger, folder, "ledger"),
            ledger_name=(ledger.name or "")[-200:],
            materials_file=_store(materials, folder, "materials") if materials else "",
            materials_name=(materials.name or "")[-200:] if materials else "",
        )  # fmt: skip
        transaction.on_commit(lambda: schedule(job.pk))
    return job


def job_confirm(*, actor: Any, job_id: int) -> ImportJob:
    """The real run of the files a clean dry run checked: a new job, checked again before it writes."""
    with transaction.atomic():
        dry = job_for(actor, job_id)
        if not can_import(actor, dry.agency):
            raise PermissionDenied(_("只有存档机构的信息采集员或系统管理员可以迁移历史数据"))
        if not dry.may_run_for_real:
            raise Conflict(_("只有无错误的试运行才能转为正式导入"), code="not_clean_dry_run")
        following = ImportJob.objects.filter(based_on=dry)
        # Again only after a real run that failed or found the database changed (nothing of it was written).
        if (
            following.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).exists()
            or following.filter(status=JobStatus.DONE, error_count=0).exists()
        ):
            raise Conflict(_("该试运行已提交正式导入"), code="already_confirmed")
        job = ImportJob.objects.create(
            agency=dry.agency, custodian=dry.custodian, created_by=actor, based_on=dry, dry_run=False,
            renumber=dry.renumber, default_source=dry.default_source, folder=dry.folder, ledger_file=dry.ledger_file,
            ledger_name=dry.ledger_name, materials_file=dry.materials_file, materials_name=dry.materials_name,
        )  # fmt: skip
        transaction.on_commit(lambda: schedule(job.pk))
    return job


def job_start_from_command(
    *,
    actor: Any,
    agency: Agency,
    custodian: Agency,
    ledger: Path,
    materials: Path | None,
    dry_run: bool,
    default_source: str = "",
    renumber: bool = False,
) -> ImportJob:
    """A run the command line starts and runs itself (the files stay where they are; no worker takes it)."""
    if not agency.holds_dossiers:
        raise ValidationFailed(_("该机构不保管档案"), fields={"agency": [_("该机构不保管档案")]})
    if custodian not in custodian_choices(agency):
        raise ValidationFailed(
            _("实物保管机构只能是本机构、其指定的保管机构或上级中心（R47）"), fields={"custodian": [custodian.code]}
        )
    for path in (ledger, materials):
        if path is not None and (path.suffix.lower() not in EXTENSIONS or not path.is_file()):
            raise ValidationFailed(_("找不到文件或格式不受支持（只接受 .xlsx 或 .csv）：%(p)s") % {"p": path})
    now = timezone.now()
    return ImportJob.objects.create(
        agency=agency, custodian=custodian, created_by=actor, dry_run=dry_run, renumber=renumber,
        default_source=default_source.strip()[:100], folder=f"{FOLDER}/cli/{uuid.uuid4().hex}",
        ledger_file=str(ledger.resolve()), ledger_name=ledger.name[-200:],
        materials_file=str(materials.resolve()) if materials else "",
        materials_name=materials.name[-200:] if materials else "",
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now,
    )  # fmt: skip


def run_of(job: ImportJob, *, today: datetime.date | None = None) -> importer.Run:
    ledger = media_path(job.ledger_file)
    materials: Source | None = None
    if job.materials_file:
        materials = Source(media_path(job.materials_file), MATERIALS_SHEET, 0)
    elif ledger.suffix.lower() == ".xlsx":
        materials = Source(ledger, MATERIALS_SHEET, 1)
    return importer.Run(
        agency=job.agency,
        custodian=job.custodian,
        actor=job.created_by,
        ledger=Source(ledger, LEDGER_SHEET, 0),
        materials=materials,
        dry_run=job.dry_run,
        today=today or timezone.localdate(),
        renumber=job.renumber,
        default_source=job.default_source,
        report_path=media_path(f"{job.folder}/{job.pk}-{REPORT_NAME}"),
        subject=job,
    )


def _claim(queryset: QuerySet[ImportJob]) -> int | None:
    """Take one queued job: locked and skipped by other workers on PostgreSQL, a guarded update everywhere."""
    with transaction.atomic():
        job = queryset.select_for_update(skip_locked=True).filter(status=JobStatus.QUEUED).order_by("pk").first()
        if job is None:
            return None
        now = timezone.now()
        taken = ImportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, message=""
        )
    return job.pk if taken else None


def job_execute(job_id: int | None = None, *, watcher: progress.Progress | None = None) -> ImportJob | None:
    """Run one queued job (that one, or the oldest); None when there is none to take.

    An unexpected error marks the job failed (nothing of it was written) and is raised again.
    """
    claimed = job_claim(job_id)
    if claimed is None:
        return None
    return job_run(claimed, watcher=watcher)


def job_claim(job_id: int | None = None) -> int | None:
    """Mark one queued job running (that one, or the oldest) and return its id; None when there is none."""
    return _claim(ImportJob.objects.filter(pk=job_id) if job_id is not None else ImportJob.objects.all())


def job_run(job_id: int, *, watcher: progress.Progress | None = None) -> ImportJob:
    """Run a job already marked running (claimed by a worker, or created so by the command line)."""
    job = ImportJob.objects.select_related("agency", "custodian", "created_by").get(pk=job_id)
    writer = progress.JobProgress(job.pk)

    def report(phase: str, done: int, total: int, errors: int) -> None:
        writer(phase, done, total, errors)
        if watcher is not None:
            watcher(phase, done, total, errors)

    try:
        outcome = importer.execute(run_of(job), report)
    except BaseException as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=(_("运行中断：%(e)s。本次导入的数据已全部撤销，可重新运行") % {"e": type(exc).__name__})[:300],
        )
        raise
    finally:
        writer.close()
    if outcome.errors:
        message = _("发现 %(n)d 处错误，未导入任何数据；请下载错误报告，修改后重新提交") % {"n": outcome.errors}
    elif job.dry_run:
        message = _("试运行通过：%(n)d 份档案可以导入") % {"n": outcome.ledger_rows}
    else:
        message = _("已导入 %(n)d 份档案、%(m)d 份材料") % {"n": outcome.imported, "m": outcome.materials}
    total = outcome.ledger_rows + outcome.material_rows
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now(), rows_total=total,
        rows_done=total, ledger_rows=outcome.ledger_rows, material_rows=outcome.material_rows,
        error_count=outcome.errors, imported_count=outcome.imported, materials_count=outcome.materials,
        locations_count=outcome.shelved, errors_preview=outcome.preview, message=message,
        report_file=f"{job.folder}/{job.pk}-{REPORT_NAME}" if outcome.report else "",
    )  # fmt: skip
    job.refresh_from_db()
    return job


def jobs_fail_stale(*, now: datetime.datetime | None = None, alive: frozenset[int] = frozenset()) -> int:
    """Jobs whose worker died mid-run (nothing of them was written): failed, so they can be submitted again."""
    limit = (now or timezone.now()) - STALE_AFTER
    return (
        ImportJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=limit)
        .exclude(pk__in=alive)
        .update(
            status=JobStatus.FAILED,
            finished_at=now or timezone.now(),
            message=_("运行中断，未导入任何数据，可重新提交"),
        )
    )


# --- The inline runner (embedded default) -------------------------------------------------------------

_THREADS: list[threading.Thread] = []
_ONE_AT_A_TIME = threading.Lock()  # SQLite has one writer: inline jobs queue behind each other


def schedule(job_id: int) -> None:
    """After the submission commits: start the job here (inline) or leave it to `import_worker`."""
    if not inline_enabled():
        return
    alive = frozenset(int(t.name.rsplit("-", 1)[1]) for t in _THREADS if t.is_alive())
    jobs_fail_stale(alive=alive)
    thread = threading.Thread(target=_run_inline, args=(job_id,), name=f"import-job-{job_id}", daemon=True)
    _THREADS.append(thread)
    thread.start()


def _claim_when_free(job_id: int, *, tries: int = 100, pause: float = 0.05) -> int | None:
    """`job_claim`, waiting out a table lock the submitting request may still hold for a moment: SQLite
    reports a lock between connections sharing one cache (SQLITE_LOCKED) at once, without its busy timeout."""
    for attempt in range(tries):
        try:
            return job_claim(job_id)
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(pause)
    return None  # pragma: no cover  (the loop returns or raises)


def _run_inline(job_id: int) -> None:
    try:
        with _ONE_AT_A_TIME:
            claimed = _claim_when_free(job_id)
            if claimed is not None:
                job_run(claimed)
    except Exception:
        logger.exception("import job %s failed", job_id)
    finally:
        connections.close_all()


def wait_for_inline_jobs(timeout: float = 120) -> None:
    """Block until the inline jobs started so far have ended (tests, management commands)."""
    for thread in list(_THREADS):
        thread.join(timeout)
        if not thread.is_alive():
            _THREADS.remove(thread)
