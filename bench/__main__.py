"""`make bench` (small scale, a few minutes) or `make bench SCALE=full` (1,000,000 dossiers).

Runs on PostgreSQL: DATABASE_URL names the server; the database `dangan_bench` is created afresh.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

SCALES = {"small": 10_000, "medium": 100_000, "full": 1_000_000}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--load-seconds", type=float, default=15)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument(
        "--ledger-rows", type=int, help="rows of the migration template (default: 10,000 small, else 100,000)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL server (make bench starts one)")
    import psycopg

    server_url, _, _ = url.rpartition("/")
    with psycopg.connect(server_url + "/postgres", autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS dangan_bench")
        admin.execute("CREATE DATABASE dangan_bench")
    os.environ["DATABASE_URL"] = server_url + "/dangan_bench"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()
    from django.core.management import call_command

    from bench import measure
    from bench.generate import generate
    from bench.ledger import ledger_import

    call_command("migrate", verbosity=0)
    persons = SCALES[args.scale]
    print(f"generating {persons:,} dossiers …")
    started = time.perf_counter()
    timings = generate(persons)
    results = [measure.Result("generate stock", round(time.perf_counter() - started, 1), "s")]
    results.append(measure.Result("generate persons rate", round(persons / timings["persons"]), "rows/s"))
    results.append(measure.Result("build dashboard counters", round(timings["aggregates"], 1), "s"))
    supervisor, token = measure.staff_token("province_supervisor")
    clerk, _ = measure.staff_token("zhifu_clerk")
    keys = measure.sample_keys(args.lookups)
    print("lookups (service layer) …")
    results += measure.lookups_service(supervisor, keys)
    print("dashboard …")
    results += measure.dashboard(supervisor)
    print("service operations …")
    approver, _ = measure.staff_token("zhifu_approver")
    results += measure.service_ops({"clerk": clerk, "approver": approver})
    print("ledger import …")
    results += ledger_import(clerk, args.ledger_rows or min(persons, 100_000))
    print("export memory …")
    results += measure.dashboard_export_memory(supervisor)
    with measure.Server(args.port) as server:
        print("lookups over HTTP …")
        results += measure.lookups_http(server, token, keys)
        print("mixed load …")
        results += measure.mixed_load(server, token, keys, seconds=args.load_seconds)
    rows = measure.as_json(results, args.scale, "postgresql")
    measure.write(rows, Path(__file__).resolve().parent / "results")
    print((Path(__file__).resolve().parent / "results" / "latest.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
