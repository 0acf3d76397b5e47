"""Matcher speed and memory: load time, p50/p95 scoring latency, RSS.

    python bench/latency.py [--runs 200]

Scores one 120-word response against 10 key points (with model rebuttals)
after a warm-up, single-threaded (threadpoolctl, or OMP/OPENBLAS_NUM_THREADS=1
when threadpoolctl is missing) and with default threading. Prints the figures;
it asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CLAIM = "Few analysts believe Kim ultimately will yield his arsenal, so the summit is a waste of time."
KEY_POINTS = [
    ("pressure", "Sanctions pressure can still change Kim's calculus."),
    ("steps", "Partial steps such as a freeze are worth having even without full disarmament."),
    ("talks", "Talking lowers the risk of war even if disarmament is slow."),
    ("economy", "Kim wants economic development, which gives negotiators leverage."),
    ("china", "China's cooperation on sanctions changes North Korea's options."),
    ("verification", "A verified freeze of the Yongbyon reactor would cap the arsenal."),
    ("history", "Past agreements did slow the programme for years."),
    ("allies", "Diplomacy keeps South Korea and Japan on side."),
    ("alternative", "The alternatives to talks, strikes or neglect, are worse."),
    ("trust", "Small reciprocal steps build the trust a larger deal needs."),
]
REBUTTAL = (
    "Critics are right that Kim is unlikely to hand over every warhead soon. **But** the goal of the "
    "summit is not a single grand bargain. A verified freeze would stop the arsenal from growing, and "
    "the 1994 Agreed Framework kept Yongbyon shut for eight years. That matters because every year "
    "without new fissile material lowers the risk of a catastrophic war."
)
RESPONSE = (
    "They say the summit is pointless because Kim will never give up his nuclear weapons. But that "
    "misses what talks can actually achieve. Even if full disarmament is unlikely, a verified freeze "
    "at Yongbyon would stop North Korea from building more bombs, and in 1994 the Agreed Framework "
    "kept the reactor closed for almost a decade. Sanctions also bite: China enforced them in 2017 "
    "and trade fell sharply, which gives negotiators leverage because Kim wants economic growth. "
    "This matters because every year without new warheads lowers the chance of a catastrophic war "
    "in Asia, so walking away would be the riskier choice for Seoul and Tokyo. Talks also keep "
    "open the channel that defused the 2017 crisis, when insults nearly became strikes."
)


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc, else peak RSS)."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return peak_rss_mb()


def peak_rss_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 1e6 if sys.platform == "darwin" else r / 1e3


def measure(matcher, kps, runs: int) -> tuple[float, float]:
    for _ in range(10):  # warm-up (caches, allocator)
        matcher.score(claim=CLAIM, key_points=kps, response=RESPONSE)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        matcher.score(claim=CLAIM, key_points=kps, response=RESPONSE)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p50 = times[len(times) // 2]
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return p50, p95


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    ns = ap.parse_args(argv)

    import numpy  # noqa: F401  (imported before the baseline so it is not counted as the matcher's)

    base_rss = rss_mb()
    from trainer.core.matching import KeyPointInput, Matcher

    t0 = time.perf_counter()
    matcher = Matcher.load()
    load_s = time.perf_counter() - t0
    kps = [KeyPointInput(i, s, REBUTTAL if n % 2 == 0 else "") for n, (i, s) in enumerate(KEY_POINTS)]
    n_words = len(RESPONSE.split())

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        threadpool_limits = None

    print(f"matcher {matcher.version}")
    print(f"load time: {load_s * 1000:.0f} ms (import + wordllama + params)")
    print(f"response: {n_words} words, {len(kps)} key points ({sum(1 for k in kps if k.rebuttal_markdown)} with a rebuttal)")
    # cold call: a new claim, key points not cached yet
    t = time.perf_counter()
    matcher.score(claim=CLAIM, key_points=kps, response=RESPONSE)
    print(f"first call (key points not cached): {(time.perf_counter() - t) * 1000:.1f} ms")

    if threadpool_limits is not None:
        ctx = threadpool_limits(limits=1)
        label = "single-threaded (threadpoolctl limits=1)"
    else:
        os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = "1"
        ctx = contextlib.nullcontext()
        label = "single-threaded (env, may not apply after numpy import)"
    with ctx:
        p50, p95 = measure(matcher, kps, ns.runs)
    print(f"{label}: p50 {p50:.2f} ms  p95 {p95:.2f} ms  ({ns.runs} runs)")
    p50, p95 = measure(matcher, kps, ns.runs)
    print(f"default threading: p50 {p50:.2f} ms  p95 {p95:.2f} ms  ({ns.runs} runs)")

    now = rss_mb()
    print(f"RSS before loading the matcher: {base_rss:.0f} MB; after: {now:.0f} MB; "
          f"added by the matcher: {now - base_rss:.0f} MB")
    print(f"peak RSS of the process (getrusage): {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
