"""The measurements, each beside its baseline in the same run."""

from __future__ import annotations

import datetime
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.authtoken.models import Token

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    target: str = ""
    met: bool | None = None

    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return round(self.value / self.baseline, 3)  # type: ignore[operator]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def sample_keys(n: int) -> list[tuple[str, str, str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id_number, p.name, d.barcode, d.id FROM dossiers_dossier d JOIN dossiers_person p ON p.id = d.person_id"
            " ORDER BY random() LIMIT %s",
            [n],
        )
        return list(cursor.fetchall())


def lookups_service(user: Any, keys: list[tuple[str, str, str, int]]) -> list[Result]:
    from dangan.dossiers.lookup import dossier_lookup

    results = []
    for label, index in (("id_number", 0), ("name", 1), ("barcode", 2)):
        values = iter([k[index] for k in keys])
        samples = timed(lambda values=values: dossier_lookup(user, next(values), limit=20), len(keys))
        column = {"id_number": "p.id_number", "name": "p.name", "barcode": "d.barcode"}[label]
        sql = f"SELECT d.id FROM dossiers_dossier d JOIN dossiers_person p ON p.id = d.person_id WHERE {column} = %s LIMIT 20"
        with connection.cursor() as cursor:
            again = iter([k[index] for k in keys])
            base = timed(
                lambda again=again, cursor=cursor, sql=sql: (cursor.execute(sql, [next(again)]), cursor.fetchall()),
                len(keys),
            )
        p99 = percentile(samples, 0.99)
        results.append(
            Result(
                f"lookup {label} service p50",
                round(statistics.median(samples), 3),
                "ms",
                round(statistics.median(base), 3),
            )
        )
        results.append(
            Result(
                f"lookup {label} service p99", round(p99, 3), "ms", round(percentile(base, 0.99), 3), "< 5 ms", p99 < 5
            )
        )
    return results


class Server:
    """The production server setup: gunicorn, 2 workers, production settings, on loopback."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "bench-" + "x" * 48,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DANGAN_SECURE_COOKIES": "0",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        for _ in range(100):
            try:
                self.get("/healthz")
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)

    def get(self, path: str, token: str = "", conn: http.client.HTTPConnection | None = None) -> int:
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", path, headers={"Authorization": f"Token {token}"} if token else {})
        response = conn.getresponse()
        response.read()
        if own:
            conn.close()
        return response.status


def lookups_http(server: Server, token: str, keys: list[tuple[str, str, str, int]]) -> list[Result]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    results = []
    base = timed(lambda: server.get("/ping", conn=conn), len(keys))
    from urllib.parse import quote

    for label, index in (("id_number", 0), ("name", 1), ("barcode", 2)):
        paths = iter(["/api/v1/dossiers/?limit=20&q=" + quote(k[index]) for k in keys])
        samples = timed(lambda paths=paths: server.get(next(paths), token, conn), len(keys))
        p99 = percentile(samples, 0.99)
        results.append(
            Result(
                f"lookup {label} http p99", round(p99, 2), "ms", round(percentile(base, 0.99), 2), "< 30 ms", p99 < 30
            )
        )
    conn.close()
    return results


def mixed_load(
    server: Server, token: str, keys: list[tuple[str, str, str, int]], seconds: float = 15, clients: int = 4
) -> list[Result]:
    def run(paths: Callable[[random.Random], str], auth: str) -> tuple[float, float]:
        latencies: list[float] = []
        lock = threading.Lock()
        stop = time.perf_counter() + seconds

        def worker(n: int) -> None:
            rng = random.Random(n)
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            local = []
            while time.perf_counter() < stop:
                started = time.perf_counter()
                server.get(paths(rng), auth, conn)
                local.append((time.perf_counter() - started) * 1000)
            conn.close()
            with lock:
                latencies.extend(local)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return len(latencies) / seconds, percentile(latencies, 0.99)

    from urllib.parse import quote

    def mixed(rng: random.Random) -> str:
        key = rng.choice(keys)
        return rng.choice([
            "/api/v1/dossiers/?limit=20&q=" + quote(key[0]),
            "/api/v1/dossiers/?limit=20&q=" + quote(key[1]),
            f"/api/v1/dossiers/{key[3]}/",
            "/api/v1/requests/?limit=20",
            "/api/v1/service-types/",
        ])  # fmt: skip

    bare_rps, bare_p99 = run(lambda rng: "/ping", "")
    rps, p99 = run(mixed, token)
    # The floor of any staff API call: token authentication (one query) and a list cached in the process.
    # Not a target: it shows what the mix can reach at best beside the bare view.
    floor_rps, floor_p99 = run(lambda rng: "/api/v1/service-types/", token)
    return [
        Result(
            "mixed load rps", round(rps, 1), "req/s", round(bare_rps, 1), ">= 0.5 × bare view", rps >= 0.5 * bare_rps
        ),
        Result("mixed load p99", round(p99, 1), "ms", round(bare_p99, 1)),
        Result("authenticated API call alone rps", round(floor_rps, 1), "req/s", round(bare_rps, 1)),
        Result("authenticated API call alone p99", round(floor_p99, 1), "ms", round(bare_p99, 1)),
    ]


def dashboard(user: Any) -> list[Result]:
    from django.core.cache import cache

    from dangan.analytics import figures
    from dangan.analytics.cache import cached_sections
    from dangan.analytics.scope import scope_for

    scope = scope_for(user)
    today = datetime.date.today()
    cache.clear()
    cold = timed(lambda: cached_sections(scope, today), 1)[0]
    warm = statistics.median(timed(lambda: cached_sections(scope, today), 20))
    plain = timed(lambda: figures.all_sections(scope, today), 1)[0]
    return [
        Result("dashboard cold", round(cold, 1), "ms", round(plain, 1), "< 1000 ms", cold < 1000),
        Result(
            "dashboard warm",
            round(warm, 2),
            "ms",
            round(plain, 1),
            "< 100 ms and ≥ 10× faster than GROUP BY",
            warm < 100 and plain / max(warm, 1e-6) >= 10,
        ),
    ]


class _AuditOff:
    """Every module's `record` (the audit log's entry point) replaced by a no-op, then put back."""

    def __enter__(self) -> None:
        from dangan.audit import services as audit_services

        self.patched = [
            (module, module.record)
            for name, module in list(sys.modules.items())
            if name.startswith("dangan.") and getattr(module, "record", None) is audit_services.record
        ]
        for module, _record in self.patched:
            module.record = lambda **kwargs: None

    def __exit__(self, *exc: object) -> None:
        for module, original in self.patched:
            module.record = original


def _rate(op: Callable[[], None], n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        op()
    return n / (time.perf_counter() - started)


WARM_UP = 10
ROUNDS = 4


def service_ops(users: dict[str, Any], n: int = 200) -> list[Result]:
    """Intake, and a transfer applied for and approved, each with the audit log on and off: `n` operations
    each, in alternating rounds after a few untimed ones."""
    from dangan.agencies.models import Agency
    from dangan.core.errors import Conflict
    from dangan.demo.synthetic import Synth
    from dangan.dossiers.models import Dossier
    from dangan.dossiers.services import IntakeInput, dossier_receive
    from dangan.transfers.services import transfer_apply, transfer_approve

    synth = Synth(seed=int(time.time()))
    clerk, approver = users["clerk"], users["approver"]

    def intake() -> None:
        for _ in range(20):  # a random number may already be in a million-dossier stock: draw again
            p = synth.person()
            try:
                dossier_receive(actor=clerk, data=IntakeInput(
                    person={"id_number": p.id_number, "name": p.name, "ethnic_group": "01", "native_place": "山东",
                            "household_region": p.household_region, "political_status": "13", "person_category": "6",
                            "phone": p.phone},
                    source_kind="application", source_name="本人申请", delivery="registered_post",
                    received_on=datetime.date.today(), entrustment_type="personal"))  # fmt: skip
            except Conflict:
                continue
            return

    target = Agency.objects.get(code="370683")
    movable = iter(
        Dossier.objects.filter(holding_agency=clerk.staff.agency, status="in_custody")
        .order_by("pk")
        .values_list("person__id_number", "person__name")[: 2 * n + WARM_UP]
    )

    def transfer() -> None:
        id_number, name = next(movable)
        moving = transfer_apply(
            actor=clerk, person_id_number=id_number, requester_kind="person", applicant_name=name,
            to_agency=target, reason="工作调动", documents=["id_card", "request_letter"],
        )  # fmt: skip
        transfer_approve(actor=approver, transfer_id=moving.pk)

    results = []
    for label, op in (("intake", intake), ("transfer apply+approve", transfer)):
        for _ in range(WARM_UP):  # first use: caches, prepared statements, the counters' rows
            op()
        # Alternating rounds, each mode first in turn: neither pays for the warm-up or a background vacuum alone.
        spent = {True: 0.0, False: 0.0}
        for round_ in range(ROUNDS):
            for audited in (True, False) if round_ % 2 == 0 else (False, True):
                with nullcontext() if audited else _AuditOff():
                    spent[audited] += (n // ROUNDS) / _rate(op, n // ROUNDS)
        done = (n // ROUNDS) * ROUNDS
        with_audit, without = done / spent[True], done / spent[False]
        results.append(
            Result(
                f"{label} ops with audit",
                round(with_audit, 1),
                "ops/s",
                round(without, 1),
                "≥ 0.7 × without audit",
                with_audit >= 0.7 * without,
            )
        )
    return results


def dashboard_export_memory(user: Any, rows: int = 100_000) -> list[Result]:
    """The download of incomplete records (`stock.incomplete_records`), 100,000 rows, under tracemalloc."""
    import itertools

    from dangan.analytics import stock
    from dangan.analytics.scope import scope_for
    from dangan.core.spreadsheets import write_xlsx

    scope = scope_for(user)
    tracemalloc.start()
    started = time.perf_counter()
    table, stream = stock.incomplete_records(scope)
    written = 0

    def counted() -> Any:
        nonlocal written
        for row in itertools.islice(stream, rows):
            written += 1
            yield row

    write_xlsx("/tmp/dangan-bench-export.xlsx", sheet_title=table.title, header=table.header, rows=counted())
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return [
        Result(f"export {written} incomplete records peak memory", round(peak / 2**20, 1), "MiB"),
        Result(f"export {written} incomplete records time (under tracemalloc)", round(elapsed, 1), "s"),
    ]


def staff_token(username: str) -> tuple[Any, str]:
    user = get_user_model().objects.get(username=username)
    return user, Token.objects.get_or_create(user=user)[0].key


def as_json(results: list[Result], scale: str, database: str) -> list[dict[str, Any]]:
    return [
        {"name": r.name, "scale": scale, "database": database, "value": r.value, "unit": r.unit, "baseline": r.baseline,
         "ratio": r.ratio(), "target": r.target, "met": r.met}
        for r in results
    ]  # fmt: skip


def write(results: list[dict[str, Any]], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    lines = [
        "| measurement | scale | database | value | baseline | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
        lines.append(f"| {r['name']} | {r['scale']} | {r['database']} | {r['value']} {r['unit']} | {r['baseline'] if r['baseline'] is not None else ''} "
                     f"| {r['ratio'] if r['ratio'] is not None else ''} | {r['target']} | {met} |")  # fmt: skip
    (directory / "latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
