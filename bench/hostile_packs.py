"""Time and peak memory of the CLI on every hostile pack (issue 13).

    python bench/hostile_packs.py [--cases PATTERN] [--commands validate,show,import,packs]

For every case of tests/data/hostile/ (scripts/make_hostile_corpus.py builds
the ones with links, pipes and big files in a temporary folder), each command
runs in its own ``python -m trainer`` child:

* ``validate``: ``steelman pack validate PATH``;
* ``show``: ``steelman pack show PATH`` (a data folder with no imported packs);
* ``import``: ``steelman pack import PATH --replace`` into a fresh data folder;
* ``packs``: ``steelman packs`` with the case copied into the data folder's packs/;
* ``render`` (only when asked for): load the pack and render every rebuttal
  as the feedback view does (``trainer.core.rendering.render_markdown``), in a
  ``python -c`` child; for the cases that load, the cost of Markdown at the
  validator's limits.

Wall time is measured around the child; its peak RSS comes from ``os.wait4``
(``ru_maxrss``: KB on Linux). Each run has a timeout (60 s) and an address
space limit (4 GB by default), so that a regression cannot take the machine
down: a run that hits either is reported as such. The table gives, per
command, the worst time and the worst peak RSS with their cases, and how many
runs went over the targets (2 s, 300 MB), against the same command on the
valid tiny pack: every child pays Python's start-up and the CLI's imports, and
the fresh data folders of ``import`` and ``packs`` are copies of one made
beforehand (no database creation in the figures). Nothing is asserted; the
exit status is 0.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "packs" / "tiny"
COMMANDS = ("validate", "show", "import", "packs")
OPTIONAL = ("render",)
RENDER = """
import sys
from trainer.core.packs import PackValidationError, load_pack
from trainer.core.rendering import render_markdown
try:
    pack = load_pack(sys.argv[1])
except PackValidationError:
    sys.exit(1)  # refused: nothing to render
for claim in pack.claims:
    for point in claim.key_points:
        render_markdown(point.rebuttal_markdown)
"""
TARGET_S = 2.0
TARGET_MB = 300


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_hostile_corpus", ROOT / "scripts" / "make_hostile_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Run:
    case: str
    command: str
    seconds: float
    rss_mb: float
    status: int | None  # exit status; None when killed
    timed_out: bool
    traceback: bool
    memory_error: bool


class Bench:
    def __init__(self, work: Path, timeout: float, memory_mb: int) -> None:
        self.work = work
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.template = work / "template-data"
        self.show_data = work / "show-data"
        self.env = dict(
            os.environ,
            PYTHONPATH=str(ROOT),
            PYTHONDONTWRITEBYTECODE="1",
            STEELMAN_DATA_DIR=str(work / "default-data"),
            XDG_DATA_HOME=str(work / "xdg-data"),
            XDG_CONFIG_HOME=str(work / "xdg-config"),
            QT_QPA_PLATFORM="offscreen",
        )
        self.env.pop("STEELMAN_DATABASE_URL", None)
        self._count = 0

    def _limit(self) -> None:
        if self.memory_mb:
            import resource

            limit = self.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def child(self, args: list[str]) -> tuple[float, float, int | None, bool, str]:
        """Run ``python -m trainer ARGS`` (or ``python ARGS`` when they start with -c):
        (seconds, peak RSS in MB, status, timed out, stderr)."""
        argv = [sys.executable, *args] if args[:1] == ["-c"] else [sys.executable, "-m", "trainer", *args]
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=err, preexec_fn=self._limit if sys.platform != "win32" else None)  # noqa: PLW1509 - the timer threads hold no lock the child needs
            killed = threading.Event()

            def kill() -> None:
                killed.set()
                proc.kill()

            timer = threading.Timer(self.timeout, kill)
            timer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                timer.cancel()
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
            rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        code = None if killed.is_set() else proc.returncode
        return seconds, rss, code, killed.is_set(), stderr

    def fresh_data(self) -> Path:
        self._count += 1
        target = self.work / f"data-{self._count}"
        shutil.copytree(self.template, target)
        return target

    def prepare(self) -> None:
        """A data folder with its database made once, copied for every run that needs a fresh one."""
        for folder in (self.template, self.show_data):
            self.child(["profiles", "--data-dir", str(folder)])

    def run(self, case: str, command: str, path: Path, materialise: Any) -> Run:
        data: Path | None = None
        if command == "validate":
            args = ["pack", "validate", str(path)]
        elif command == "show":
            args = ["pack", "show", str(path), "--data-dir", str(self.show_data)]
        elif command == "render":
            args = ["-c", RENDER, str(path)]
        elif command == "import":
            data = self.fresh_data()
            args = ["pack", "import", str(path), "--replace", "--data-dir", str(data)]
        else:
            data = self.fresh_data()
            materialise(data / "packs")
            args = ["packs", "--data-dir", str(data)]
        try:
            seconds, rss, status, timed_out, stderr = self.child(args)
        finally:
            if data is not None:
                shutil.rmtree(data, ignore_errors=True)
        return Run(case, command, seconds, rss, status, timed_out, "Traceback" in stderr, "MemoryError" in stderr)


def _baseline_materialiser(into: Path) -> Path:
    target = into / "tiny"
    shutil.copytree(TINY, target)
    return target


def _table(runs: list[Run], baseline: dict[str, Run], commands: list[str]) -> None:
    head = f"{'command':<9} {'tiny s':>7} {'tiny MB':>8} {'worst s':>8}  {'case':<40} {'worst MB':>9}  {'case':<40} {'>2 s':>5} {'>300 MB':>8} {'runs':>5}"
    print(head)
    print("-" * len(head))
    for command in commands:
        mine = [r for r in runs if r.command == command]
        if not mine:
            continue
        slow = max(mine, key=lambda r: r.seconds)
        fat = max(mine, key=lambda r: r.rss_mb)
        base = baseline.get(command)
        print(f"{command:<9} {base.seconds if base else float('nan'):>7.2f} {base.rss_mb if base else float('nan'):>8.0f} "
              f"{slow.seconds:>8.2f}  {slow.case[:40]:<40} {fat.rss_mb:>9.0f}  {fat.case[:40]:<40} "
              f"{sum(r.seconds > TARGET_S for r in mine):>5} {sum(r.rss_mb > TARGET_MB for r in mine):>8} {len(mine):>5}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", metavar="PATTERN", help="only cases whose name contains PATTERN or matches it as a glob (e.g. '0[0-2]?-*')")
    parser.add_argument("--commands", default=",".join(COMMANDS), help=f"comma-separated, of: {', '.join(COMMANDS + OPTIONAL)}")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a run is killed (default 60)")
    parser.add_argument("--memory-limit", type=int, default=4096, metavar="MB", help="address space of each child (default 4096; 0: none)")
    parser.add_argument("--top", type=int, default=8, help="also list the N slowest runs (default 8)")
    args = parser.parse_args(argv)
    commands = [c.strip() for c in args.commands.split(",") if c.strip()]
    unknown = set(commands) - set(COMMANDS + OPTIONAL)
    if unknown:
        parser.error(f"unknown command(s): {', '.join(sorted(unknown))}")

    gen = _generator()
    cases = [c for c in gen.load_manifest() if not args.cases or args.cases in c["name"] or fnmatch.fnmatch(c["name"], args.cases)]
    with tempfile.TemporaryDirectory(prefix="steelman-hostile-bench-") as tmp:
        work = Path(tmp)
        bench = Bench(work, args.timeout, args.memory_limit)
        bench.prepare()
        baseline: dict[str, Run] = {}
        for command in commands:
            baseline[command] = bench.run("(tiny, valid)", command, _baseline_materialiser(work / f"baseline-{command}"), _baseline_materialiser)
        runs: list[Run] = []
        skipped: list[str] = []
        started = time.perf_counter()
        for number, entry in enumerate(cases, start=1):
            name = entry["name"]
            try:
                path = gen.case_path(entry, work / "cases")
            except gen.Unsupported:
                skipped.append(name)
                continue
            for command in commands:
                run = bench.run(name, command, path, lambda into, e=entry: gen.materialise(e, into))
                runs.append(run)
                if run.timed_out or run.memory_error or run.traceback or run.status not in (0, 1):
                    what = "timed out" if run.timed_out else "MemoryError" if run.memory_error else \
                        "Traceback" if run.traceback else f"exit status {run.status}"
                    print(f"  ! {name} {command}: {what} ({run.seconds:.1f} s, {run.rss_mb:.0f} MB)", flush=True)
            if number % 25 == 0:
                print(f"  ... {number}/{len(cases)} cases, {time.perf_counter() - started:.0f} s", flush=True)

    print()
    print(f"{len(cases)} case(s), {len(runs)} run(s), each in its own child process (timeout {args.timeout:g} s, "
          f"address space {args.memory_limit or 'unlimited'} MB); targets {TARGET_S:g} s and {TARGET_MB} MB")
    print()
    _table(runs, baseline, commands)
    if skipped:
        print(f"\nskipped (this platform cannot build them): {', '.join(skipped)}")
    trouble = [r for r in runs if r.timed_out or r.memory_error or r.traceback or r.status not in (0, 1)]
    print(f"\nruns killed by the timeout: {sum(r.timed_out for r in runs)}; with a MemoryError: {sum(r.memory_error for r in runs)}; "
          f"with a Traceback: {sum(r.traceback for r in runs)}; other exit statuses: {sum(r.status not in (0, 1) and not r.timed_out for r in runs)}")
    for r in trouble:
        print(f"  {r.case} {r.command}: status {r.status}, {r.seconds:.1f} s, {r.rss_mb:.0f} MB")
    if args.top and runs:
        print(f"\nslowest {min(args.top, len(runs))} run(s):")
        for r in sorted(runs, key=lambda r: r.seconds, reverse=True)[:args.top]:
            print(f"  {r.seconds:7.2f} s {r.rss_mb:7.0f} MB  {r.command:<8} {r.case}")
        print(f"\nlargest peak RSS, {min(args.top, len(runs))} run(s):")
        for r in sorted(runs, key=lambda r: r.rss_mb, reverse=True)[:args.top]:
            print(f"  {r.seconds:7.2f} s {r.rss_mb:7.0f} MB  {r.command:<8} {r.case}")
    for label, over in ((f"over {TARGET_S:g} s", lambda r: r.seconds > TARGET_S), (f"over {TARGET_MB} MB", lambda r: r.rss_mb > TARGET_MB)):
        cases_over: dict[str, list[str]] = {}
        for r in runs:
            if over(r):
                cases_over.setdefault(r.case, []).append(r.command)
        if cases_over:
            print(f"\n{label}:")
            for case, which in cases_over.items():
                print(f"  {case}: {', '.join(which)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
