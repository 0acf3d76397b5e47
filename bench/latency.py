"""Matcher speed and memory: model ready time, p50/p95 scoring latency, RSS.

    python bench/latency.py [--runs 200] [--threads 2]

Loads the matcher (the fine-tuned encoder through onnxruntime), scores one
120-word response against 10 key points (with model rebuttals and a
background of 60 texts, as a pack claim has) once to warm the claim-side
cache, then times --runs scorings: split, embed the sentences, judge each
sentence's stance, calibrate, verdicts and rubric. Prints the figures; it
asserts nothing. Targets (issue 11): p95 <= 100 ms on 2 cores, model ready
<= 1.5 s, <= 250 MB RSS added.
"""

from __future__ import annotations

import argparse
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
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    import numpy as np

    base = rss_mb()
    t0 = time.perf_counter()
    from trainer.core.matching import KeyPointInput, Matcher

    matcher = Matcher.load(threads=args.threads)
    ready = time.perf_counter() - t0
    loaded = rss_mb()
    kps = [KeyPointInput(k, s, REBUTTAL, 1.0) for k, s in KEY_POINTS]
    background = [f"Background sentence number {i} about the summit, sanctions and Korea." for i in range(60)]
    words = len(RESPONSE.split())
    t1 = time.perf_counter()
    matcher.score(claim=CLAIM, key_points=kps, response=RESPONSE, background=background)
    first = time.perf_counter() - t1
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        matcher.score(claim=CLAIM, key_points=kps, response=RESPONSE, background=background)
        times.append((time.perf_counter() - t) * 1000)
    arr = np.array(times)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"matcher {matcher.version}; {os.cpu_count()} cores, onnxruntime threads {args.threads}")
    print(f"model ready (import + load)  {ready * 1000:.0f} ms   (target <= 1500 ms)")
    print(f"first score (claim cache)    {first * 1000:.0f} ms")
    print(f"score {words}-word response vs {len(kps)} key points, {args.runs} runs: "
          f"p50 {np.percentile(arr, 50):.1f} ms, p95 {np.percentile(arr, 95):.1f} ms, max {arr.max():.1f} ms   (target p95 <= 100 ms)")
    print(f"RSS: before {base:.0f} MB, after load {loaded:.0f} MB (+{loaded - base:.0f} MB), now {rss_mb():.0f} MB "
          f"(+{rss_mb() - base:.0f} MB), peak {peak:.0f} MB   (target <= 250 MB added)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
