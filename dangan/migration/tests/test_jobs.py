"""The import as a background job: console pages with a progress bar, the API, the worker and the command line."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from dangan.agencies.models import Role
from dangan.dossiers.models import Dossier
from dangan.migration.models import ImportJob, JobPhase, JobStatus
from dangan.migration.progress import JobProgress
from dangan.migration.services import wait_for_inline_jobs
from dangan.migration.template import XLSX
from dangan.migration.tests.conftest import HOLDER
from dangan.migration.tests.ledgers import LedgerPlan


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("job-ledgers")
    plan = LedgerPlan(25, seed=21, plants={4: "bad_phone"})
    return plan.write(folder, planted=False), plan.write(folder, planted=True)


def uploads(written):
    return {
        "ledger": SimpleUploadedFile("台账.csv", written.ledger.read_bytes(), content_type="text/csv"),
        "materials": SimpleUploadedFile("目录.csv", written.materials.read_bytes(), content_type="text/csv"),
    }


@pytest.fixture
def scene(files, rooms, run_ledger):
    clean, planted = files
    return {
        "clean_dry": run_ledger(clean.ledger, clean.materials, dry_run=True, default_source="原行业中心"),
        "with_errors": run_ledger(planted.ledger, planted.materials, dry_run=True, default_source="原行业中心"),
    }


ACTORS = {
    "no_role": (HOLDER, ()),
    "clerk": (HOLDER, (Role.DATA_CLERK,)),
    "admin": (HOLDER, (Role.ADMINISTRATOR,)),
    "keeper": (HOLDER, (Role.ARCHIVE_KEEPER, Role.COUNTER_CLERK)),
    "other": ("370683", (Role.DATA_CLERK, Role.ADMINISTRATOR)),
}
# (url name, method, the scene's job or None, {actor: status})
PAGES = [
    ("migration:home", "get", None, {"no_role": 403, "clerk": 200, "admin": 200, "keeper": 403, "other": 200}),
    ("migration:template", "get", None, {"no_role": 403, "clerk": 200, "admin": 200, "keeper": 403, "other": 200}),
    ("migration:job", "get", "with_errors", {"no_role": 403, "clerk": 200, "admin": 200, "keeper": 403, "other": 404}),
    ("migration:job_progress", "get", "clean_dry", {"no_role": 403, "clerk": 200, "admin": 200, "keeper": 403, "other": 404}),
    ("migration:job_report", "get", "with_errors", {"no_role": 403, "clerk": 200, "admin": 200, "keeper": 403, "other": 404}),
    ("migration:job_confirm", "post", "clean_dry", {"no_role": 403, "clerk": 302, "admin": 302, "keeper": 403, "other": 404}),
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("who", ["anonymous", *ACTORS])
def test_page_permission_matrix(client, scene, make_staff, page, who):
    name, method, job, expected = page
    if who != "anonymous":
        agency, roles = ACTORS[who]
        client.force_login(make_staff(agency, *roles))
    url = reverse(name, args=[scene[job].pk] if job else [])
    response = getattr(client, method)(url)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("agencies:login"))
    else:
        assert response.status_code == expected[who]


def test_the_job_page_shows_progress_and_polls_while_the_job_runs(client, scene, clerk):
    job = scene["clean_dry"]
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, phase=JobPhase.VALIDATE, rows_done=300, rows_total=1000
    )
    client.force_login(clerk)
    body = client.get(reverse("migration:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'value="30"' in body
    assert "300 / 1000" in body
    JobProgress(job.pk)("validate", 600, 1000, 2)  # a run in this process, ahead of the table
    fragment = client.get(reverse("migration:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'value="60"' in fragment.content.decode()
    assert "HX-Refresh" not in fragment
    JobProgress(job.pk)("import", 100, 1000, 0)  # the real run's second half (SQLite: only in this process)
    fragment = client.get(reverse("migration:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'value="10"' in fragment.content.decode()  # a dry run's bar: 100 of 1,000
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    fragment = client.get(reverse("migration:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"
    assert "every 1s" not in fragment.content.decode()


def test_a_job_with_errors_shows_them_and_offers_the_report(client, scene, clerk):
    client.force_login(clerk)
    body = client.get(reverse("migration:job", args=[scene["with_errors"].pk])).content.decode()
    assert "联系电话" in body
    assert "手机" in body
    assert reverse("migration:job_report", args=[scene["with_errors"].pk]) in body
    assert 'data-testid="confirm"' not in body
    clean = client.get(reverse("migration:job", args=[scene["clean_dry"].pk])).content.decode()
    assert 'data-testid="confirm"' in clean


@pytest.mark.rule("R36")
@pytest.mark.django_db(transaction=True)
def test_the_console_runs_a_dry_run_then_the_real_run_in_the_background(client, files, rooms, clerk, settings):
    settings.DANGAN_JOBS_INLINE = True
    clean, _planted = files
    client.force_login(clerk)
    response = client.post(
        reverse("migration:home"), {**uploads(clean), "custodian": rooms["库房1"].agency_id, "dry_run": "on",
                                    "default_source": "原行业中心"},
    )  # fmt: skip
    assert response.status_code == 302
    wait_for_inline_jobs()
    dry = ImportJob.objects.get()
    assert (dry.status, dry.dry_run, dry.ledger_rows, dry.error_count) == (JobStatus.DONE, True, 25, 0)
    assert dry.rows_done == dry.rows_total == 25 + clean.material_rows
    assert Dossier.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "试运行通过" in page
    assert 'value="100"' in page

    confirmed = client.post(reverse("migration:job_confirm", args=[dry.pk]))
    wait_for_inline_jobs()
    real = ImportJob.objects.exclude(pk=dry.pk).get()
    assert confirmed["Location"] == reverse("migration:job", args=[real.pk])
    assert (real.status, real.dry_run, real.based_on_id, real.imported_count) == (JobStatus.DONE, False, dry.pk, 25)
    assert real.materials_count == clean.material_rows
    assert Dossier.objects.count() == 25
    again = client.post(reverse("migration:job_confirm", args=[dry.pk]), follow=True)
    assert "已提交正式导入" in again.content.decode()


def test_the_upload_form_refuses_what_it_cannot_read(client, clerk, rooms):
    client.force_login(clerk)
    bad = SimpleUploadedFile("台账.txt", b"x", content_type="text/plain")
    response = client.post(reverse("migration:home"), {"ledger": bad, "custodian": rooms["库房1"].agency_id})
    assert response.status_code == 200
    assert "只接受 .xlsx 或 .csv 文件" in response.content.decode()
    assert not ImportJob.objects.exists()


# --- API -----------------------------------------------------------------------------------------------


@pytest.fixture
def api(api_client, clerk):
    api_client.force_authenticate(clerk)
    return api_client


def test_api_submits_a_ledger_and_reports_its_job(api, files, rooms, settings, make_staff):
    settings.DANGAN_JOBS_INLINE = False
    clean, _planted = files
    response = api.post("/api/v1/imports/", {**uploads(clean), "default_source": "原行业中心"}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["dry_run"], body["agency"], body["custodian"]) == ("queued", True, HOLDER, HOLDER)
    assert [j["id"] for j in api.get("/api/v1/imports/").json()["results"]] == [body["id"]]

    call_command("import_worker", "--once", stdout=io.StringIO())  # the worker takes it
    done = api.get(f"/api/v1/imports/{body['id']}/").json()
    assert (done["status"], done["ledger_rows"], done["error_count"], done["percent"]) == ("done", 25, 0, 100)
    confirmed = api.post(f"/api/v1/imports/{body['id']}/confirm/")
    assert confirmed.status_code == 201
    assert confirmed.json()["dry_run"] is False

    other = make_staff("370683", Role.DATA_CLERK)
    api.force_authenticate(other)
    assert api.get(f"/api/v1/imports/{body['id']}/").status_code == 404
    assert api.get("/api/v1/imports/").json()["results"] == []
    api.force_authenticate(make_staff(HOLDER, Role.COUNTER_CLERK))
    assert api.get("/api/v1/imports/").status_code == 403


def test_api_refusals_and_downloads(api, scene):
    missing = api.post("/api/v1/imports/", {}, format="multipart")
    assert missing.status_code == 400
    assert "ledger" in missing.json()["fields"]
    wrong = api.post("/api/v1/imports/", {"ledger": SimpleUploadedFile("a.pdf", b"%PDF")}, format="multipart")
    assert wrong.status_code == 400
    assert wrong.json()["fields"]["ledger"]
    custodian = api.post(
        "/api/v1/imports/", {"ledger": SimpleUploadedFile("a.csv", b"x"), "custodian": "370683"}, format="multipart"
    )
    assert custodian.status_code == 400
    assert "custodian" in custodian.json()["fields"]
    refused = api.post(f"/api/v1/imports/{scene['with_errors'].pk}/confirm/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_clean_dry_run"
    report = api.get(f"/api/v1/imports/{scene['with_errors'].pk}/report/")
    assert report.status_code == 200
    assert report["Content-Type"] == XLSX
    assert api.get(f"/api/v1/imports/{scene['clean_dry'].pk}/report/").status_code == 404
    template = api.get("/api/v1/imports/template/")
    assert template.status_code == 200
    assert template["Content-Type"] == XLSX
    detail = api.get(f"/api/v1/imports/{scene['with_errors'].pk}/").json()
    assert detail["has_report"] is True
    assert detail["first_errors"][0]["column"] == "联系电话"


# --- The command line -----------------------------------------------------------------------------------


@pytest.mark.rule("R36")
def test_the_command_line_shows_a_progress_bar_and_refuses_a_file_with_errors(files, rooms):
    clean, planted = files
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_ledger", str(planted.ledger), "--agency", HOLDER, "--materials", str(planted.materials),
                     "--source", "原行业中心", stdout=out)  # fmt: skip
    assert "\r校验 [" in out.getvalue()
    assert "错误报告" in out.getvalue()
    assert Dossier.objects.count() == 0
    out = io.StringIO()
    call_command("import_ledger", str(clean.ledger), "--agency", HOLDER, "--materials", str(clean.materials),
                 "--source", "原行业中心", stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "\r导入 [" in text
    assert "100%" in text
    assert "已导入 25 份档案" in text
    assert Dossier.objects.count() == 25
    assert ImportJob.objects.filter(created_by__username="migration", status=JobStatus.DONE).count() == 2


def test_a_clean_dry_run_is_confirmed_once_unless_its_real_run_failed(scene, clerk):
    from dangan.core.errors import Conflict
    from dangan.migration.services import job_confirm

    dry = scene["clean_dry"]
    real = job_confirm(actor=clerk, job_id=dry.pk)
    with pytest.raises(Conflict):
        job_confirm(actor=clerk, job_id=dry.pk)  # queued already
    ImportJob.objects.filter(pk=real.pk).update(status=JobStatus.FAILED)
    again = job_confirm(actor=clerk, job_id=dry.pk)  # nothing of the failed run was written: run it again
    assert again.based_on_id == dry.pk
    ImportJob.objects.filter(pk=again.pk).update(status=JobStatus.DONE, imported_count=25)
    with pytest.raises(Conflict):
        job_confirm(actor=clerk, job_id=dry.pk)


def test_the_inline_runner_waits_out_a_table_lock_before_claiming(monkeypatch):
    """SQLite reports a lock held by another connection of a shared cache at once (no busy timeout)."""
    from django.db import OperationalError

    from dangan.migration import services

    answers = [OperationalError("database table is locked"), OperationalError("database table is locked"), 7]

    def claim(job_id):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(services, "job_claim", claim)
    assert services._claim_when_free(7, pause=0) == 7
    assert answers == []
    monkeypatch.setattr(services, "job_claim", lambda job_id: (_ for _ in ()).throw(OperationalError("disk I/O error")))
    with pytest.raises(OperationalError, match="disk I/O"):
        services._claim_when_free(7, pause=0)
