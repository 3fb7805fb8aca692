from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class JobPhase(models.TextChoices):
    WAITING = "", _("等待")
    VALIDATE = "validate", _("校验")
    IMPORT = "import", _("导入")


class ImportJob(models.Model):
    """One run of a ledger import (R36, R47): a dry run or a real run, executed as a background job.

    The files stay under MEDIA_ROOT/imports/<job folder>/; a real run started from a clean dry run
    reads the same files. Counters are written while the run goes, for the console's progress bar.
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("存档机构"), on_delete=models.PROTECT, related_name="+"
    )
    custodian = models.ForeignKey(
        "agencies.Agency", verbose_name=_("实物保管机构"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    based_on = models.ForeignKey(
        "self", verbose_name=_("依据的试运行"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dry_run = models.BooleanField(_("试运行"), default=True, help_text=_("只校验并出具错误报告，不写入任何数据"))
    renumber = models.BooleanField(
        _("重新编号"), default=False, help_text=_("按本机构规则重新编号，原档案编号记入档案来源")
    )
    default_source = models.CharField(_("默认档案来源"), max_length=100, blank=True)
    folder = models.CharField(_("文件目录"), max_length=100)
    ledger_file = models.CharField(_("档案台账文件"), max_length=200)
    ledger_name = models.CharField(_("档案台账原文件名"), max_length=200)
    materials_file = models.CharField(_("材料目录文件"), max_length=200, blank=True)
    materials_name = models.CharField(_("材料目录原文件名"), max_length=200, blank=True)
    report_file = models.CharField(_("错误报告"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    phase = models.CharField(_("阶段"), max_length=10, choices=JobPhase.choices, default=JobPhase.WAITING, blank=True)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    ledger_rows = models.PositiveIntegerField(_("台账行数"), default=0)
    material_rows = models.PositiveIntegerField(_("材料行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    imported_count = models.PositiveIntegerField(_("导入档案数"), default=0)
    materials_count = models.PositiveIntegerField(_("导入材料数"), default=0)
    locations_count = models.PositiveIntegerField(_("上架档案数"), default=0)
    errors_preview = models.JSONField(_("错误摘要"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("数据迁移任务")
        verbose_name_plural = _("数据迁移任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="migration_job_queue_idx")]

    def __str__(self) -> str:
        return f"{self.ledger_name}（{self.get_status_display()}）"

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        """Overall progress: a real run validates, then imports; each phase is a share of the bar."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        share = min(self.rows_done / self.rows_total, 1.0)
        if self.dry_run:
            return int(100 * share)
        return int(50 * share) + (50 if self.phase == JobPhase.IMPORT else 0)

    @property
    def may_run_for_real(self) -> bool:
        """A clean dry run can be followed by the real run of the same files."""
        return self.dry_run and self.status == JobStatus.DONE and self.error_count == 0 and self.ledger_rows > 0
