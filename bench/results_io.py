"""Time of results files (``.steelresults``) out of a laptop and into a coach's database.

    python bench/results_io.py [--pg-url URL] [--runs 3] [--no-sqlite] [--profile] [--gc-off]

Targets (issue 16): for 30 students with 10,000 attempts in total,
``service.transfer.export_results`` in <= 3 s, ``import_results`` of that file
into a fresh coach database in <= 3 s (SQLite, and PostgreSQL with
``--pg-url``), and a second import of the same file in <= 1 s, adding nothing.

The laptop is a SQLite file in a temporary folder, seeded once in a child
process (so that this process's peak RSS is the transfer's) with
``random.Random(16)``: 30 students (no PINs, no coach), 10,000 attempts spread
over them (333-334 each) on the 29 claims of the built-in Korea pack over 8
weeks, each with a text of 600-1,200 characters and a breakdown shaped like
``MatchResult.to_dict()`` (about 2.5 KB of JSON; ``_response`` and
``_breakdown`` of ``bench/class_overview.py``), and its ``attempt_verdicts``
rows; one attempt in ten was re-scored once (an older score with its own
breakdown in ``attempt_scores``); 40 open and 20 resolved disputes. The rows go
in with SQLAlchemy Core ``insert`` executemany in one transaction.

Then, on a freshly opened ``Service`` of the laptop, ``export_results`` of
everyone is timed ``--runs`` times (the same file, replaced each time), split
into ``TransferStore.collect`` (the queries) and ``write_results_file`` (JSON,
deflate, fsync). For each backend and each of ``--runs`` runs a fresh coach
database is made (a new SQLite file; on ``--pg-url URL``, a database
``steelman_bench_<random>`` created and dropped afterwards, as
``bench/class_overview.py`` does), a coach added (unlocked), and the file
imported twice: the first import (split into ``read_results_file``: unzip,
checksum, parse and check; ``conflicts``: matching the 30 students; and
``TransferStore.merge``: the one transaction) and the second one (its counts
are printed: it must add nothing). After the first run the coach database is
checked against the laptop (attempts, score rows, verdict rows, disputes).

Printed: medians and maxima in seconds, whether each median is within its
target, the time spent in Python's cyclic garbage collector during each phase
(``gc.callbacks``; ``--gc-off`` disables the collector in the timed phases to
measure its share, which is not how the app runs), the file size, the peak RSS
of each phase (Linux: ``VmHWM`` of /proc/self/status, reset before each phase
through /proc/self/clear_refs; elsewhere the process's peak), for the first
run of each phase the SQL statements by kind (driver calls, parameter sets and
wall time, from SQLAlchemy's cursor events), the cpu count and the load
average at the start and the end (other work on the machine shows in every
figure). When a median misses its target, or with ``--profile``, one more run
of that phase is made under cProfile (which slows it) and its top functions
are printed. Nothing is asserted; the exit status is 0.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import multiprocessing
import os
import pstats
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.class_overview import (  # noqa: E402 - after the sys.path line
    COMMENTS,
    END,
    FIRST_NAMES,
    KOREA,
    START,
    _breakdown,
    _load,
    _response,
    peak_rss_mb,
    pg_database,
)

STUDENTS = 30
ATTEMPTS = 10_000
RESCORED = 0.10  # share of attempts with one earlier score in attempt_scores
OPEN_DISPUTES = 40
RESOLVED_DISPUTES = 20
SEED = 16
TARGETS = {"export": 3.0, "import": 3.0, "import again": 1.0}


# --- seeding -------------------------------------------------------------------------------------


@dataclass
class Laptop:
    attempts: int
    scores: int
    verdicts: int
    disputes: int
    breakdown_bytes: float
    text_chars: float
    seconds: float
    rss_mb: float = 0.0


def seed_laptop(url: str, data_dir: str) -> Laptop:
    """Open the laptop's database at ``url`` and seed it (run in a child process)."""
    import json

    from sqlalchemy import insert, select

    from trainer.core.matching import MATCHER_VERSION, RUBRIC_NAMES
    from trainer.core.paths import Locations
    from trainer.core.service import Service
    from trainer.core.storage.models import (
        Attempt,
        AttemptScore,
        AttemptVerdict,
        Dispute,
        Profile,
    )
    from trainer.core.storage.verdicts import verdict_pairs

    rng = random.Random(SEED)
    t0 = time.perf_counter()
    service = Service.open(Locations(data_dir=Path(data_dir), database_url=url), clock=lambda: END)
    try:
        pack = next(p for p in service.packs.all() if p.id == KOREA)
        version = f"{MATCHER_VERSION}+enc-2.0.0.cal-3f9a1c2b"
        older = f"{MATCHER_VERSION}+enc-1.9.0.cal-0c1d2e3f"
        names = [f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {chr(65 + i // len(FIRST_NAMES))}." for i in range(STUDENTS)]
        statements = {c.id: [k.statement for k in c.key_points] for c in pack.claims}
        perspectives = {c.id: sorted({p for k in c.key_points for p in k.perspectives}) for c in pack.claims}
        span = (END - START).total_seconds()
        with service.database.engine.begin() as conn:
            conn.execute(insert(Profile), [
                {"name": n, "created_at": START - timedelta(days=3, minutes=i), "pin_hash": None, "role": "student",
                 "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4))}
                for i, n in enumerate(names)
            ])
            ids = dict(conn.execute(select(Profile.name, Profile.id)).all())
            rows: list[dict[str, Any]] = []
            history: list[tuple[int, dict[str, Any]]] = []  # (index in rows, attempt_scores row without its id)
            for n in range(ATTEMPTS):
                pid = ids[names[n % STUDENTS]]
                claim = rng.choice(pack.claims)
                offset = rng.uniform(0, span)
                submitted = START + timedelta(seconds=offset)
                perspective = rng.choice(perspectives[claim.id]) if perspectives[claim.id] and rng.random() < 0.35 else None
                text, spans = _response(rng, statements[claim.id])
                skill = 0.15 + 0.3 * ((n % STUDENTS) / STUDENTS)
                score, breakdown = _breakdown(rng, claim, skill, offset / span, version, RUBRIC_NAMES, perspective, spans)
                duration = round(rng.uniform(120, 900), 1)
                rows.append({
                    "profile_id": pid, "pack_id": pack.id, "pack_version": pack.version, "claim_id": claim.id,
                    "perspective_id": perspective, "text": text,
                    "started_at": submitted - timedelta(seconds=duration), "submitted_at": submitted,
                    "duration_seconds": duration, "score": score, "breakdown": breakdown,
                    "matcher_version": version, "scored_at": submitted + timedelta(days=1),
                    "client_uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                })
                if rng.random() < RESCORED:
                    old_score, old = _breakdown(rng, claim, skill, offset / span, older, RUBRIC_NAMES, perspective, spans)
                    history.append((n, {"scored_at": submitted, "score": old_score, "matcher_version": older, "breakdown": old}))
            conn.execute(insert(Attempt), rows)
            by_uuid = dict(conn.execute(select(Attempt.client_uuid, Attempt.id)).all())
            verdicts = [{"attempt_id": by_uuid[r["client_uuid"]], "key_point_id": k, "verdict": v}
                        for r in rows for k, v in verdict_pairs(r["breakdown"])]
            conn.execute(insert(AttemptVerdict), verdicts)
            conn.execute(insert(AttemptScore), [{"attempt_id": by_uuid[rows[i]["client_uuid"]], **h} for i, h in history])
            disputes = []
            for n, index in enumerate(rng.sample(range(len(rows)), OPEN_DISPUTES + RESOLVED_DISPUTES)):
                row = rows[index]
                created = row["submitted_at"] + timedelta(minutes=rng.randint(2, 600))
                resolved = n >= OPEN_DISPUTES
                accepted = resolved and rng.random() < 0.5
                disputes.append({
                    "attempt_id": by_uuid[row["client_uuid"]],
                    "key_point_id": rng.choice(row["breakdown"]["key_points"])["key_point_id"],
                    "kind": rng.choice(("did-make-point", "verdict-wrong")), "comment": rng.choice(COMMENTS),
                    "created_at": created, "status": ("accepted" if accepted else "rejected") if resolved else "open",
                    "resolved_at": created + timedelta(days=1) if resolved else None,
                    "resolved_by": "Coach Morgan" if resolved else None,
                    "resolution_note": "Checked against the rebuttal." if resolved else "",
                    "override_verdict": "covered" if accepted else None,
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                })
            conn.execute(insert(Dispute), disputes)
        sizes = [len(json.dumps(r["breakdown"], ensure_ascii=False, separators=(",", ":")).encode()) for r in rows]
        laptop = Laptop(len(rows), len(history), len(verdicts), len(disputes), statistics.mean(sizes),
                        statistics.mean(len(r["text"]) for r in rows), time.perf_counter() - t0)
    finally:
        service.close()
    laptop.rss_mb = peak_rss_mb()
    return laptop


# --- measuring ----------------------------------------------------------------------------------


def phase_peak_reset() -> bool:
    """Reset this process's peak RSS (Linux >= 4.0); False where that cannot be done."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def phase_peak_mb() -> float:
    """The peak RSS since the last ``phase_peak_reset`` (Linux), else the process's peak."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


class Parts:
    """Time spent in named functions while it is active (class attributes wrapped, then put back)."""

    def __init__(self, targets: list[tuple[Any, str, str]]) -> None:
        self.targets = targets  # (owner: class or module, attribute, label)
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def active(self) -> Iterator[dict[str, float]]:
        self.seconds = {label: 0.0 for _, _, label in self.targets}
        saved = []
        for owner, name, label in self.targets:
            original = owner.__dict__[name]
            saved.append((owner, name, original))

            def timed(*args: Any, _original: Callable[..., Any] = original, _label: str = label, **kwargs: Any) -> Any:
                t = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.seconds[_label] += time.perf_counter() - t

            setattr(owner, name, timed)
        try:
            yield self.seconds
        finally:
            for owner, name, original in saved:
                setattr(owner, name, original)


class GcTime:
    """Seconds spent in the cyclic garbage collector while active (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = 0
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections += 1

    @contextlib.contextmanager
    def active(self, *, disable: bool = False) -> Iterator[GcTime]:
        self.seconds, self.collections = 0.0, 0
        if disable:
            gc.collect()
            gc.disable()
        gc.callbacks.append(self._callback)
        try:
            yield self
        finally:
            gc.callbacks.remove(self._callback)
            if disable:
                gc.enable()


class Statements:
    """Wall time and count of each kind of SQL statement on an engine (cursor events), while active."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.rows: dict[str, int] = {}

    def _before(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        conn.info["bench_t"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        words = statement.split()
        kind = " ".join(words[:3]) if words[:1] == ["INSERT"] else " ".join(words[:1])
        kind = kind.split("(")[0] + (" (executemany)" if executemany else "")
        self.seconds[kind] = self.seconds.get(kind, 0.0) + time.perf_counter() - conn.info.pop("bench_t", time.perf_counter())
        self.calls[kind] = self.calls.get(kind, 0) + 1
        self.rows[kind] = self.rows.get(kind, 0) + _rows(statement, params)

    @contextlib.contextmanager
    def active(self) -> Iterator[Statements]:
        from sqlalchemy import event

        self.seconds, self.calls, self.rows = {}, {}, {}
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        try:
            yield self
        finally:
            event.remove(self.engine, "before_cursor_execute", self._before)
            event.remove(self.engine, "after_cursor_execute", self._after)

    def summary(self, label: str, limit: int = 6) -> str:
        top = sorted(self.seconds, key=self.seconds.get, reverse=True)[:limit]  # type: ignore[arg-type]
        parts = [f"{k}: {self.calls[k]:,} calls, {self.rows[k]:,} rows, {self.seconds[k]:.2f} s" for k in top]
        return f"{label}: SQL statements by time (driver calls, wall time):\n  " + "\n  ".join(parts)


def _rows(statement: str, params: Any) -> int:
    """The rows one driver call sends: an executemany's parameter sets, or the
    VALUES groups of one multi-row INSERT (SQLAlchemy's "insertmanyvalues")."""
    if isinstance(params, list | tuple) and params and isinstance(params[0], list | tuple | dict):
        return len(params)
    head, _, values = statement.partition(" VALUES ")
    return values.count("), (") + 1 if head.startswith("INSERT") and values else 1


@dataclass
class Row:
    backend: str
    what: str
    runs: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    gc: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    detail: str = ""
    indent: bool = False
    target: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def profiled(label: str, fn: Callable[[], Any], lines: int = 18) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = []
    for key in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(key).print_stats(lines)
        body = text.getvalue()
        body = body[body.find("   ncalls"):] if "   ncalls" in body else body
        out.append(f"{label}: cProfile, by {key}:\n{body.rstrip()}")
    return "\n\n".join(out)


def open_service(url: str, data_dir: Path) -> Any:
    from trainer.core.paths import Locations
    from trainer.core.service import Service

    return Service.open(Locations(data_dir=data_dir, database_url=url), clock=lambda: END)


def export_rows(laptop_url: str, laptop_dir: Path, out: Path, runs: int, profile: bool,
                gc_off: bool) -> tuple[list[Row], list[str]]:
    from trainer.core.services import transfer as services_transfer
    from trainer.core.storage.transfer import TransferStore

    parts = Parts([(TransferStore, "collect", "collect (queries)"),
                   (services_transfer, "write_results_file", "write_results_file (JSON, deflate, fsync)")])
    total = Row("laptop", "export_results (30 students)", target=TARGETS["export"])
    split = {label: Row("laptop", label, indent=True) for _, _, label in parts.targets}
    notes: list[str] = []
    service = open_service(laptop_url, laptop_dir)
    collector = GcTime()
    statements = Statements(service.database.engine)
    try:
        for run in range(runs):
            phase_peak_reset()
            with parts.active() as seconds, collector.active(disable=gc_off), statements.active():
                t, c = time.perf_counter(), time.process_time()
                outcome = service.transfer.export_results(out)
                total.runs.append(time.perf_counter() - t)
                total.cpu.append(time.process_time() - c)
            total.peaks.append(phase_peak_mb())
            total.gc.append(collector.seconds)
            if run == 0:
                notes.append(statements.summary("export_results, first run"))
            for label, s in seconds.items():
                split[label].runs.append(s)
        size = out.stat().st_size
        total.detail = (f"{outcome.attempts:,} attempts of {outcome.students} students, {len(outcome.excluded)} left out; "
                        f"file {size / 1e6:.1f} MB")
        if profile or total.median > TARGETS["export"]:
            notes.append(profiled("export_results", lambda: service.transfer.export_results(out)))
    finally:
        service.close()
    return [total, *split.values()], notes


@contextlib.contextmanager
def fresh_coach(backend: str, make_url: Callable[[], contextlib.AbstractContextManager[str]], data_dir: Path) -> Iterator[Any]:
    with make_url() as url:
        service = open_service(url, data_dir)
        try:
            service.profiles.add_coach("Coach Morgan", pin="2468")  # unlocked
            yield service
        finally:
            service.close()


def import_rows(backend: str, make_url: Callable[[], contextlib.AbstractContextManager[str]], work: Path, path: Path,
                laptop: Laptop, runs: int, profile: bool, gc_off: bool) -> tuple[list[Row], list[str]]:
    from sqlalchemy import func, select

    from trainer.core.services.transfer import Transfer
    from trainer.core.storage.models import (
        Attempt,
        AttemptScore,
        AttemptVerdict,
        Dispute,
    )
    from trainer.core.storage.transfer import TransferStore

    parts = Parts([(Transfer, "read", "read_results_file (unzip, checksum, parse, check)"),
                   (Transfer, "conflicts", "conflicts (match 30 students)"),
                   (TransferStore, "merge", "merge (one transaction)")])
    first = Row(backend, "import_results, fresh database", target=TARGETS["import"])
    first_split = {label: Row(backend, label, indent=True) for _, _, label in parts.targets}
    again = Row(backend, "import_results again (same file)", target=TARGETS["import again"])
    again_split = {label: Row(backend, label, indent=True) for _, _, label in parts.targets}
    notes: list[str] = []
    decide = lambda conflict: None  # noqa: E731 - a fresh database: no name is taken
    for run in range(runs):
        print(f"{backend}: import run {run + 1} of {runs} ...", flush=True)
        with fresh_coach(backend, make_url, work / f"{backend}-{run}") as service:
            collector = GcTime()
            statements = Statements(service.database.engine)
            for row, split in ((first, first_split), (again, again_split)):
                phase_peak_reset()
                with parts.active() as seconds, collector.active(disable=gc_off), statements.active():
                    t, c = time.perf_counter(), time.process_time()
                    report = service.transfer.import_results([path], decide=decide)
                    row.runs.append(time.perf_counter() - t)
                    row.cpu.append(time.process_time() - c)
                row.peaks.append(phase_peak_mb())
                row.gc.append(collector.seconds)
                if run == 0:
                    notes.append(statements.summary(f"{backend}: {row.what}, first run"))
                for label, s in seconds.items():
                    split[label].runs.append(s)
                row.detail = report.summary()[:110]
                if row is again:
                    row.detail = (f"new attempts {report.new_attempts}, already imported {report.known_attempts:,}, "
                                  f"new disputes {report.new_disputes}, new students {len(report.new_profiles)}, "
                                  f"refused {len(report.refused)}")
                    if report.new_attempts or report.new_disputes or report.new_profiles or report.refused:
                        notes.append(f"{backend}: CHECK: the second import changed something: {report.summary()}")
            if run == 0:
                with service.database.engine.connect() as conn:
                    counts = tuple(conn.scalar(select(func.count()).select_from(t)) for t in (Attempt, AttemptScore, AttemptVerdict, Dispute))
                expected = (laptop.attempts, laptop.scores, laptop.verdicts, laptop.disputes)
                verdict = "as on the laptop" if counts == expected else f"CHECK: expected {expected}"
                notes.append(f"{backend}: coach database after the imports: {counts[0]:,} attempts, {counts[1]:,} earlier scores, "
                             f"{counts[2]:,} verdict rows, {counts[3]} disputes ({verdict})")
        if run == runs - 1 and (profile or first.median > TARGETS["import"] or again.median > TARGETS["import again"]):
            with fresh_coach(backend, make_url, work / f"{backend}-profile") as service:
                notes.append(profiled(f"{backend}: import_results, fresh database",
                                      lambda: service.transfer.import_results([path], decide=decide)))
                notes.append(profiled(f"{backend}: import_results again",
                                      lambda: service.transfer.import_results([path], decide=decide)))
    return [first, *first_split.values(), again, *again_split.values()], notes


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def print_table(rows: list[Row]) -> None:
    head = (f"{'backend':<8} {'phase':<52} {'median s':>8} {'max s':>7} {'cpu s':>6} {'GC s':>5} {'target':>7} {'ok':<3} "
            f"{'peak MB':>8}  detail")
    print(head)
    print("-" * (len(head) + 40))
    for r in rows:
        name = ("  " + r.what) if r.indent else r.what
        target = f"{r.target:6.1f}s" if r.target is not None else f"{'':>7}"
        ok = ("yes" if r.median <= r.target else "NO") if r.target is not None else ""
        peak = f"{max(r.peaks):8.0f}" if r.peaks else f"{'':>8}"
        collected = f"{statistics.median(r.gc):5.2f}" if r.gc else f"{'':>5}"
        cpu = f"{statistics.median(r.cpu):6.2f}" if r.cpu else f"{'':>6}"
        print(f"{r.backend:<8} {name:<52} {r.median:8.3f} {max(r.runs):7.3f} {cpu} {collected} {target} {ok:<3} {peak}  {r.detail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", metavar="URL", help="a PostgreSQL server to create fresh coach databases on (dropped afterwards)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite coach database")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each phase even when within its target")
    parser.add_argument("--gc-off", action="store_true",
                        help="run each timed phase with the garbage collector disabled (to measure its share; not how the app runs)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{os.cpu_count()} CPUs ({affinity} usable by this process); Python {sys.version.split()[0]}; "
          f"{STUDENTS} students, {ATTEMPTS:,} attempts; {args.runs} runs; targets: export <= {TARGETS['export']:g} s, "
          f"import <= {TARGETS['import']:g} s, again <= {TARGETS['import again']:g} s")
    print(f"SQLAlchemy {_version('sqlalchemy')}, psycopg {_version('psycopg')}, SQLite {sqlite3.sqlite_version}"
          + ("; garbage collector OFF in the timed phases (--gc-off)" if args.gc_off else ""))
    load_before = _load()
    print(f"load average (1, 5, 15 min): {load_before}")
    per_phase = phase_peak_reset()
    if not args.pg_url:
        print("no --pg-url: SQLite only")
    rows: list[Row] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="steelman-results-bench-") as tmp:
        work = Path(tmp)
        laptop_dir = work / "laptop"
        laptop_url = f"sqlite:///{laptop_dir / 'steelman.sqlite3'}"
        print("laptop: seeding ...", flush=True)
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            laptop = pool.submit(seed_laptop, laptop_url, str(laptop_dir)).result()
        notes.append(f"laptop: seeded {laptop.attempts:,} attempts of {STUDENTS} students ({laptop.scores:,} re-scored once, "
                     f"{laptop.verdicts:,} verdict rows, {laptop.disputes} disputes) in {laptop.seconds:.1f} s; breakdowns "
                     f"{laptop.breakdown_bytes / 1000:.2f} KB and texts {laptop.text_chars:,.0f} characters on average; "
                     f"database {(laptop_dir / 'steelman.sqlite3').stat().st_size / 1e6:.0f} MB "
                     f"(in a child process: peak RSS {laptop.rss_mb:.0f} MB)")
        out = work / "usb" / "club.steelresults"
        print("laptop: export ...", flush=True)
        r, n = export_rows(laptop_url, laptop_dir, out, args.runs, args.profile, args.gc_off)
        rows += r
        notes += n
        backends: list[tuple[str, Callable[[], contextlib.AbstractContextManager[str]]]] = []
        if not args.no_sqlite:
            counter = iter(range(1_000_000))

            @contextlib.contextmanager
            def sqlite_url() -> Iterator[str]:
                yield f"sqlite:///{work / f'coach-{next(counter)}.sqlite3'}"

            backends.append(("sqlite", sqlite_url))
        if args.pg_url:
            backends.append(("pg", lambda: pg_database(args.pg_url)))
        for label, make in backends:
            try:
                r, n = import_rows(label, make, work, out, laptop, args.runs, args.profile, args.gc_off)
            except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not fail
                notes.append(f"{label}: could not run: {type(exc).__name__}: {exc}")
                continue
            rows += r
            notes += n
    print()
    for note in notes:
        print(note)
        print()
    print_table(rows)
    peaks = "each phase's own peak (VmHWM reset before it)" if per_phase else "the process's peak so far"
    print(f"\nmedian and max of {args.runs} runs; indented rows: the phase's parts, timed inside it; cpu s: this process's "
          f"CPU time in the phase (all its threads; SQLite works in-process, a PostgreSQL server's work is not in it), less "
          f"sensitive to other load than the wall time; GC s: median time in "
          f"the cyclic garbage collector during the phase{' (disabled: --gc-off)' if args.gc_off else ''}; peak MB: {peaks}.")
    print(f"load average at the start {load_before}, at the end {_load()}; peak RSS of this process {peak_rss_mb():.0f} MB; "
          f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
