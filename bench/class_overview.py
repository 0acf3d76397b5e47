"""Time of the coach's class overview on a full club, on SQLite and PostgreSQL.

    python bench/class_overview.py [--pg-url URL] [--pg-bin DIR] [--runs 7] [--part-runs 3]
                                   [--all-parts] [--no-sqlite] [--profile]

Target (issue): the class overview for 30 students x 29 claims x 10 attempts
(8,700 attempts) ready in <= 300 ms on 2 cores, on SQLite and on PostgreSQL.

Each backend gets a fresh database: a SQLite file in a temporary folder, and,
with ``--pg-url URL`` (a server URL, e.g.
``postgresql+psycopg://postgres@127.0.0.1:55432/postgres``), a database
``steelman_bench_<random>`` created on that server and dropped afterwards;
with ``--pg-bin DIR``, a throwaway server of its own (initdb + pg_ctl from DIR,
through ``tests/pgserver.py``, as the outage tests do). Without either it runs
on SQLite only, and says so.

The club is seeded once per backend, in a child process (so that this
process's peak RSS is the overview's), with ``random.Random(15)`` so both
backends hold the same rows: one coach, 30 students, and for each student every
one of the 29 claims of the built-in Korea pack tried 10 times (8,700
attempts, submitted over 8 weeks, scores that improve over time), each with a
text of 600-1,200 characters and a breakdown shaped like the matcher's
``MatchResult.to_dict()`` (a verdict with spans per key point, the seven
rubric signals, 5-8 sentence notes, a perspective for about a third); 40 open
disputes and 20 resolved ones. The rows go in with one SQLAlchemy Core
``insert`` executemany in one transaction; a few attempts of the coach's own go
through ``Repository.record_attempt`` (the overview leaves them out) as a
check that the bulk rows read back like the app's.

Then a fresh ``Service`` is opened on the database (new engine, nothing
cached; the OS file cache and the server's buffers are warm from seeding),
the coach is unlocked and each call is made once cold and ``--runs`` times
warm: ``service.club.overview`` for the Korea pack, unfiltered, and for the
8-week range (every attempt), then ``club.disputes()`` and
``club.open_disputes()``. The first overview (``--all-parts``: each) is then
split into its parts, each timed alone ``--part-runs`` times: the grouped
queries (``ClubStore.overview_figures``: cells, students, weeks, key points),
``build_overview`` (with its ``missed_examples`` query) and the coach check
with ``profiles.list``. Medians and maxima are printed in ms, with whether each
median is within the target, the cpu count and the load average at the start
and the end (other work on the machine shows in every figure); peak RSS comes
from ``resource.getrusage``, the current RSS from /proc. ``--profile`` adds a
cProfile of one warm overview per variant.

The first version read every attempt's breakdown JSON (20 MB) to pick out its
verdicts: 1.9-2.2 s. Migration 0006 keeps the verdicts in ``attempt_verdicts``
and the overview now counts in SQL (see docs/reliability.md). Nothing is asserted; the exit status is 0.

Both the PostgreSQL server and this process run on the same machine (and its
cores), as on a coach's laptop hosting the club server.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import multiprocessing
import os
import pstats
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_MS = 300.0
KOREA = "korea-summit-2019"  # the built-in pack: 29 claims
STUDENTS = 30
PER_CLAIM = 10
WEEKS = 8
END = datetime(2025, 3, 31, 8, 0, tzinfo=UTC)  # a Monday; attempts are in the 8 weeks before
START = END - timedelta(weeks=WEEKS)
OPEN_DISPUTES = 40
RESOLVED_DISPUTES = 20
COACH_PIN = "2468"
SEED = 15
FIRST_NAMES = (
    "Ada", "Bilal", "Chloé", "Dmitri", "Eun-ji", "Farah", "Gustavo", "Hana", "Ibrahim", "Jonas",
    "Keiko", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sami", "Tomás",
    "Ulla", "Viktor", "Wen", "Xavier", "Yara", "Zoltan", "Amara", "Björn", "Carmen", "Dae-ho",
)
WORDS = (
    "sanctions", "pressure", "Pyongyang", "summit", "freeze", "verification", "Yongbyon", "missiles", "talks",
    "alliance", "Seoul", "Tokyo", "Beijing", "deterrence", "inspectors", "warheads", "economy", "leverage",
    "trust", "concessions", "history", "agreement", "collapse", "because", "therefore", "however", "evidence",
    "2017", "2018", "1994", "regime", "arsenal", "détente", "negotiators", "risk", "war", "peace", "declaration",
    "travel", "ban", "human", "rights", "exercises", "troops", "treaty", "enrichment", "plutonium", "uranium",
    "launch",
)
OPENERS = ("They say", "But", "This ignores that", "Because", "In 2018", "Even so,", "Therefore", "The article claims",
           "History shows", "However,", "What matters is", "For example,")
ROLES = ("key-point", "off-list", "supports", "restates", "reports", "no-argument", "neither")
NOTICES = ("The response was trimmed to the first 4,000 characters for scoring.",
           "Some sentences were too short to judge.")
COMMENTS = ("I did make this point in my second sentence.", "The matcher missed my example about 2017.",
            "I think this verdict is wrong: I argued the opposite.", "My last paragraph covers exactly this.")


# --- seeding -------------------------------------------------------------------------------------


def _sentence(rng: random.Random, length: int, lead: str | None) -> str:
    words = [lead or rng.choice(OPENERS)]
    size = len(words[0])
    while size < length:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words) + "."


def _response(rng: random.Random, statements: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A 600-1,200 character text of 5-8 sentences, and the sentences' spans."""
    count = rng.randint(5, 8)
    total = rng.randint(600, 1200)
    sentences = []
    for i in range(count):
        lead = None
        if statements and rng.random() < 0.4:
            lead = "But " + rng.choice(statements).rstrip(".").lower()
        sentences.append(_sentence(rng, max(40, total // count - 1), lead))
    spans, text, at = [], [], 0
    for s in sentences:
        spans.append((at, at + len(s)))
        text.append(s)
        at += len(s) + 1
    return " ".join(text), spans


def _verdict(p: float) -> str:
    return "covered" if p >= 0.5 else "partly" if p >= 0.3 else "missed"


def _breakdown(rng: random.Random, claim: Any, skill: float, progress: float, version: str,
               rubric_names: tuple[str, ...], perspective: str | None,
               spans: list[tuple[int, int]]) -> tuple[float, dict[str, Any]]:
    """A breakdown shaped like ``MatchResult.to_dict()``, and its score (0-1)."""
    mine = [k.id for k in claim.key_points if perspective is not None and perspective in k.perspectives]
    key_points, weighted, weights = [], 0.0, 0.0
    for kp in claim.key_points:
        p = min(0.99, max(0.01, rng.gauss(skill + 0.3 * progress, 0.22)))
        p = round(p, 4)
        verdict = _verdict(p)
        chosen = [] if verdict == "missed" else rng.sample(spans, k=min(len(spans), rng.randint(1, 2)))
        key_points.append({"key_point_id": kp.id, "probability": p, "verdict": verdict,
                           "spans": [{"start": a, "end": b} for a, b in sorted(chosen)]})
        w = kp.weight * (2.0 if kp.id in mine else 1.0)
        weighted += w * p
        weights += w
    score = round(weighted / weights if weights else 0.0, 4)
    rubric = []
    for name in rubric_names:
        passed = rng.random() < 0.4 + 0.5 * progress
        rubric.append({"name": name, "passed": passed,
                       "explanation": f"{'Good' if passed else 'Work on'} {name.replace('_', ' ')}: "
                                      + ("you did this well in the response." if passed else
                                         "add a sentence that does this, as in the model rebuttal."),
                       "value": round(rng.uniform(0, 5), 4)})
    sentences = []
    for start, end in spans:
        role = rng.choice(ROLES)
        kp_id = rng.choice(claim.key_points).id if role == "key-point" else None
        stance = "opposes" if role in ("key-point", "off-list") else rng.choice(("supports", "neither", "opposes"))
        sentences.append({"span": {"start": start, "end": end}, "role": role, "stance": stance, "key_point_id": kp_id})
    notices = [rng.choice(NOTICES)] if rng.random() < 0.05 else []
    return score, {
        "matcher_version": version,
        "score": score,
        "key_points": key_points,
        "rubric": rubric,
        "notices": notices,
        "sentences": sentences,
        "argued_for": rng.random() < 0.05,
        "perspective": perspective,
        "perspective_key_points": mine,
    }


@dataclass
class Seeded:
    coach_id: int
    student_ids: list[int]
    attempts: int
    seconds: float
    sanity: list[str] = field(default_factory=list)
    rss_mb: float = 0.0


def seed_database(url: str, data_dir: str) -> Seeded:
    """Open the database at ``url`` and seed it (run in a child process)."""
    from trainer.core.paths import Locations
    from trainer.core.service import Service

    service = Service.open(Locations(data_dir=Path(data_dir), database_url=url), clock=lambda: END)
    try:
        pack = next(p for p in service.packs.all() if p.id == KOREA)
        seeded = seed(service, pack)
        if service.database.engine.dialect.name == "postgresql":
            # What autovacuum does within a minute of a bulk load on a club
            # server: table statistics, and the visibility map that lets the
            # overview's queries read the covering index only.
            with service.database.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    finally:
        service.close()
    seeded.rss_mb = peak_rss_mb()
    return seeded


def seed(service: Any, pack: Any) -> Seeded:
    """The club, bulk-inserted in one transaction (see the module docstring)."""
    from sqlalchemy import func, insert, select

    from trainer.core.matching import MATCHER_VERSION, RUBRIC_NAMES
    from trainer.core.storage.models import Attempt, AttemptVerdict, Dispute, Profile
    from trainer.core.storage.verdicts import verdict_pairs

    rng = random.Random(SEED)
    t0 = time.perf_counter()
    version = f"{MATCHER_VERSION}+enc-2.0.0.cal-3f9a1c2b"
    coach = service.profiles.add_coach("Coach Morgan", pin=COACH_PIN)
    engine = service.database.engine
    names = [f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {chr(65 + i // len(FIRST_NAMES))}." for i in range(STUDENTS)]
    statements = {c.id: [k.statement for k in c.key_points] for c in pack.claims}
    perspectives = {c.id: sorted({p for k in c.key_points for p in k.perspectives}) for c in pack.claims}
    with engine.begin() as conn:
        conn.execute(insert(Profile), [
            {"name": n, "created_at": START - timedelta(days=3, minutes=i), "pin_hash": None, "role": "student"}
            for i, n in enumerate(names)
        ])
        ids = dict(conn.execute(select(Profile.name, Profile.id).where(Profile.role == "student")).all())
        student_ids = [ids[n] for n in names]
        rows: list[dict[str, Any]] = []
        span = (END - START).total_seconds()
        for pid in student_ids:
            skill = rng.uniform(0.15, 0.45)
            for claim in pack.claims:
                for offset in sorted(rng.uniform(0, span) for _ in range(PER_CLAIM)):
                    submitted = START + timedelta(seconds=offset)
                    progress = offset / span
                    perspective = rng.choice(perspectives[claim.id]) if perspectives[claim.id] and rng.random() < 0.35 else None
                    text, spans = _response(rng, statements[claim.id])
                    score, breakdown = _breakdown(rng, claim, skill, progress, version, RUBRIC_NAMES, perspective, spans)
                    duration = round(rng.uniform(120, 900), 1)
                    rows.append({
                        "profile_id": pid, "pack_id": pack.id, "pack_version": pack.version, "claim_id": claim.id,
                        "perspective_id": perspective, "text": text,
                        "started_at": submitted - timedelta(seconds=duration), "submitted_at": submitted,
                        "duration_seconds": duration, "score": score, "breakdown": breakdown,
                        "matcher_version": version, "scored_at": submitted,
                        "client_uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    })
        conn.execute(insert(Attempt), rows)
        by_uuid = dict(conn.execute(select(Attempt.client_uuid, Attempt.id)).all())
        conn.execute(insert(AttemptVerdict), [  # as Repository.record_attempt writes them
            {"attempt_id": by_uuid[row["client_uuid"]], "key_point_id": k, "verdict": v}
            for row in rows for k, v in verdict_pairs(row["breakdown"])
        ])
        disputes = []
        for n, index in enumerate(rng.sample(range(len(rows)), OPEN_DISPUTES + RESOLVED_DISPUTES)):
            row = rows[index]
            kp = rng.choice(row["breakdown"]["key_points"])
            created = row["submitted_at"] + timedelta(minutes=rng.randint(2, 600))
            resolved = n >= OPEN_DISPUTES
            accepted = resolved and rng.random() < 0.5
            disputes.append({
                "attempt_id": by_uuid[row["client_uuid"]], "key_point_id": kp["key_point_id"],
                "kind": rng.choice(("did-make-point", "verdict-wrong")), "comment": rng.choice(COMMENTS),
                "created_at": created,
                "status": ("accepted" if accepted else "rejected") if resolved else "open",
                "resolved_at": created + timedelta(days=1) if resolved else None,
                "resolved_by": coach.name if resolved else None,
                "resolution_note": "Checked against the rebuttal." if resolved else "",
                "override_verdict": "covered" if accepted else None,
            })
        conn.execute(insert(Dispute), disputes)

    # A few of the coach's own tries through the app's write path: the check
    # that bulk rows and recorded ones read back alike (the overview skips them).
    sanity: list[str] = []
    claim = pack.claims[0]
    for i in range(3):
        text, spans = _response(rng, statements[claim.id])
        score, breakdown = _breakdown(rng, claim, 0.6, 1.0, version, RUBRIC_NAMES, None, spans)
        at = END - timedelta(days=1, hours=i)
        service.store.record_attempt(
            profile_id=coach.id, pack_id=pack.id, pack_version=pack.version, claim_id=claim.id,
            perspective_id=None, text=text, started_at=at - timedelta(minutes=5), submitted_at=at,
            score=score, breakdown=breakdown, matcher_version=version,
        )
    with engine.connect() as conn:
        mine = (Attempt.profile_id == coach.id).label("mine")
        counts = {bool(k): n for k, n in conn.execute(
            select(mine, func.count(AttemptVerdict.id))
            .join(AttemptVerdict, AttemptVerdict.attempt_id == Attempt.id)
            .group_by(mine)
        ).all()}
    expected = sum(len(verdict_pairs(r["breakdown"])) for r in rows)
    if counts.get(False) != expected or counts.get(True) != 3 * len(claim.key_points):
        sanity.append(f"verdict rows: {counts} (expected {expected} bulk and {3 * len(claim.key_points)} recorded)")
    return Seeded(coach.id, student_ids, len(rows), time.perf_counter() - t0, sanity)


# --- PostgreSQL ---------------------------------------------------------------------------------


def _libpq(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def pg_database(server_url: str) -> Iterator[str]:
    """A fresh database on the server at ``server_url``, dropped afterwards (as tests/storage/conftest.py)."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"steelman_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def pg_server(pg_bin: str) -> Iterator[str]:
    """A throwaway server (tests/pgserver.py: initdb + pg_ctl on a free port); yields its URL."""
    sys.path.insert(0, str(ROOT / "tests"))
    import pytest
    from pgserver import run_pg_server

    os.environ["STEELMAN_TEST_PG_BIN"] = pg_bin
    servers = run_pg_server()
    try:
        server = next(servers)
    except pytest.skip.Exception as exc:  # no initdb/pg_ctl in pg_bin
        raise RuntimeError(str(exc)) from None
    try:
        yield server.url()
    finally:
        servers.close()  # stops the server, removes its folder


# --- measuring ----------------------------------------------------------------------------------


def _ms(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t) * 1000, value


@dataclass
class Row:
    backend: str
    what: str
    cold: float | None
    warm: list[float]
    detail: str = ""
    indent: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.warm)


def timed(backend: str, what: str, fn: Callable[[], Any], runs: int, *, cold: bool = True, indent: bool = False) -> tuple[Row, Any]:
    first, value = _ms(fn) if cold else (None, None)
    warm = []
    for _ in range(runs):
        ms, value = _ms(fn)
        warm.append(ms)
    return Row(backend, what, first, warm, indent=indent), value


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc, else the peak)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except OSError:
        return peak_rss_mb()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _parts(label: str, service: Any, kwargs: dict[str, Any], runs: int) -> list[Row]:
    """The overview's parts, each timed alone (``runs`` warm calls)."""
    from trainer.core.overview import build_overview

    store = service.data.club
    q, figures = timed(label, "query: overview_figures", lambda: store.overview_figures(**kwargs), runs,
                       cold=False, indent=True)
    q.detail = (f"grouped rows: {len(figures.cells):,} cells, {len(figures.students)} students, "
                f"{len(figures.weeks)} weeks, {len(figures.key_points)} key points")
    students, packs = service.profiles.list(), {p.id: p for p in service.packs.all()}
    examples = lambda keys: store.missed_examples(keys=keys, **kwargs)  # noqa: E731
    o, _ = timed(label, "build_overview (+ missed_examples)",
                 lambda: build_overview(figures, students, packs, pack_id=kwargs.get("pack_id"), examples=examples),
                 runs, cold=False, indent=True)
    o.detail = "core/overview.py on the rows above; 1 query for the 10 examples"
    r, _ = timed(label, "coach check + profiles.list", lambda: (service.profiles.coach(), service.profiles.list()),
                 runs, cold=False, indent=True)
    r.detail = "the overview's other 2 queries"
    return [q, o, r]


def _profile(label: str, what: str, fn: Callable[[], Any]) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    return f"{label}: cProfile of one warm {what}, by own time:\n{out.getvalue()}"


def run_backend(label: str, url: str, data_dir: Path, runs: int, part_runs: int, all_parts: bool,
                profile: bool) -> tuple[list[Row], list[str]]:
    from trainer.core.paths import Locations
    from trainer.core.service import Service

    notes: list[str] = []
    print(f"{label}: seeding ...", flush=True)
    locations = Locations(data_dir=data_dir, database_url=url)
    # In a child process, so that this one's peak RSS is the overview's, not the seeding's.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        seeded = pool.submit(seed_database, url, str(data_dir)).result()
    notes.append(f"{label}: seeded {seeded.attempts:,} attempts of {len(seeded.student_ids)} students, "
                 f"{OPEN_DISPUTES} open and {RESOLVED_DISPUTES} resolved disputes in {seeded.seconds:.1f} s "
                 f"(in a child process: peak RSS {seeded.rss_mb:.0f} MB)")
    notes.extend(f"{label}: CHECK: {s}" for s in seeded.sanity)

    service = Service.open(locations, clock=lambda: END)  # fresh engine: nothing cached
    rows: list[Row] = []
    try:
        service.profiles.unlock(profile_id=seeded.coach_id, pin=COACH_PIN)
        before = rss_mb()
        club = service.club
        variants = (
            (f"overview(pack_id={KOREA})", {"pack_id": KOREA}),
            ("overview()", {}),
            (f"overview(since, until: {WEEKS} weeks)", {"since": START, "until": END}),
        )
        for number, (what, kwargs) in enumerate(variants):
            print(f"{label}: {what} ...", flush=True)
            row, overview = timed(label, what, lambda kw=kwargs: club.overview(**kw), runs)
            row.detail = (f"{overview.attempts:,} attempts, {len(overview.students)} students, "
                          f"{len(overview.columns)} columns, {len(overview.most_missed)} most missed")
            if overview.attempts != seeded.attempts or len(overview.students) != STUDENTS:
                notes.append(f"{label}: CHECK: {what} counted {overview.attempts} attempts of "
                             f"{len(overview.students)} students (expected {seeded.attempts} of {STUDENTS})")
            rows.append(row)
            if number == 0 or all_parts:
                rows.extend(_parts(label, service, kwargs, part_runs))
            if profile:
                notes.append(_profile(label, what, lambda kw=kwargs: club.overview(**kw)))
        row, cases = timed(label, "disputes()", club.disputes, runs)
        row.detail = f"{len(cases)} open disputes with their attempts"
        rows.append(row)
        row, count = timed(label, "open_disputes()", club.open_disputes, runs)
        row.detail = f"{count}"
        rows.append(row)
    finally:
        service.close()
    notes.append(f"{label}: RSS of this process before the first overview {before:.0f} MB, now {rss_mb():.0f} MB, "
                 f"peak so far {peak_rss_mb():.0f} MB")
    return rows, notes



def print_table(rows: list[Row]) -> None:
    head = f"{'backend':<10} {'call':<42} {'cold ms':>8} {'median':>8} {'max':>8}  {'<= 300 ms':<9}  detail"
    print(head)
    print("-" * (len(head) + 30))
    for r in rows:
        cold = f"{r.cold:8.1f}" if r.cold is not None else f"{'':>8}"
        name = ("  " + r.what) if r.indent else r.what
        within = "" if r.indent else ("yes" if r.median <= TARGET_MS else "NO")
        high = f"{max(r.warm):8.1f}" if len(r.warm) > 1 else f"{'':>8}"
        print(f"{r.backend:<10} {name:<42} {cold} {r.median:8.1f} {high}  {within:<9}  {r.detail}")


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", metavar="URL", help="a PostgreSQL server to create a fresh database on (dropped afterwards)")
    parser.add_argument("--pg-bin", metavar="DIR", help="start a throwaway PostgreSQL server with initdb/pg_ctl from DIR")
    parser.add_argument("--runs", type=int, default=7, help="warm calls per measurement (default 7)")
    parser.add_argument("--part-runs", type=int, default=2, help="warm calls per part of the breakdown (default 2)")
    parser.add_argument("--all-parts", action="store_true", help="break down every overview, not only the first")
    parser.add_argument("--no-sqlite", action="store_true", help="skip SQLite")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one warm overview per backend")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{os.cpu_count()} CPUs ({affinity} usable by this process); Python {sys.version.split()[0]}; "
          f"{STUDENTS} students x 29 claims x {PER_CLAIM} attempts; {args.runs} warm runs; target median <= {TARGET_MS:g} ms")
    load_before = _load()
    print(f"load average (1, 5, 15 min): {load_before}")
    if not args.pg_url and not args.pg_bin:
        print("no --pg-url or --pg-bin: SQLite only")
    rows: list[Row] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="steelman-overview-bench-") as tmp:
        work = Path(tmp)
        if not args.no_sqlite:
            r, n = run_backend("sqlite", f"sqlite:///{work / 'sqlite' / 'steelman.sqlite3'}", work / "sqlite",
                               args.runs, args.part_runs, args.all_parts, args.profile)
            rows += r
            notes += n
        servers: list[tuple[str, Callable[[], contextlib.AbstractContextManager[str]]]] = []
        if args.pg_url:
            servers.append(("pg", lambda: pg_database(args.pg_url)))
        if args.pg_bin:
            servers.append(("pg-own", lambda: pg_database_on_own_server(args.pg_bin)))
        for label, make in servers:
            try:
                with make() as url:
                    r, n = run_backend(label, url, work / label, args.runs, args.part_runs, args.all_parts, args.profile)
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
    print(f"\ncold: the first call on a freshly opened Service; median and max of {args.runs} warm calls "
          f"({args.part_runs} for the indented rows: the overview's parts, each timed alone).")
    print(f"load average at the start {load_before}, at the end {_load()}; peak RSS {peak_rss_mb():.0f} MB; "
          f"total {time.perf_counter() - started:.0f} s")
    return 0


@contextlib.contextmanager
def pg_database_on_own_server(pg_bin: str) -> Iterator[str]:
    with pg_server(pg_bin) as server_url, pg_database(server_url) as url:
        yield url


if __name__ == "__main__":
    raise SystemExit(main())
