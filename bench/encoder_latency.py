"""Speed and memory of the run-time sentence encoder (fine-tuned MiniLM, int8 ONNX).

    python bench/encoder_latency.py [--runs 50] [--threads 2]

One request = embed the sentences of a ~120-word response (one batch call) and
score the stance of each sentence against the claim (one more call). Key-point
embeddings are assumed cached (embedded once per claim; timed separately).
Prints load time, p50/p95 per request and per part, and the RSS the encoder
adds; it asserts nothing.
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

from bench.latency import CLAIM, KEY_POINTS, RESPONSE


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return r / 1e6 if sys.platform == "darwin" else r / 1e3


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return times[len(times) // 2], times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--folder", type=Path, default=None, help="model folder (default: the shipped one)")
    ap.add_argument("--batch-size", type=int, default=None, help="texts per onnxruntime run (default: the encoder's)")
    ns = ap.parse_args(argv)

    import numpy  # noqa: F401  (loaded before the baseline: not counted as the encoder's)

    from trainer.core.matching.text import (
        split_sentences,  # the app's splitter (also before the baseline)
    )

    base = rss_mb()
    t0 = time.perf_counter()
    from trainer.core.matching.encoder import Encoder

    enc = Encoder.load(ns.folder, threads=ns.threads) if ns.batch_size is None else \
        Encoder.load(ns.folder, threads=ns.threads, batch_size=ns.batch_size)
    load_s = time.perf_counter() - t0
    sentences = [RESPONSE[s:e] for s, e in split_sentences(RESPONSE)]
    kp_texts = [s for _, s in KEY_POINTS]

    print(f"encoder {enc.version} ({enc.folder})")
    print(f"load time: {load_s * 1000:.0f} ms (import onnxruntime + tokenizers + session), {ns.threads} threads, "
          f"batch size {enc.batch_size}")
    print(f"response: {len(RESPONSE.split())} words, {len(sentences)} sentences; {len(kp_texts)} key points")
    t = time.perf_counter()
    enc.embed(kp_texts)
    print(f"embed the key points once (per claim, then cached): {(time.perf_counter() - t) * 1000:.1f} ms")

    for _ in range(3):  # warm-up
        enc.embed(sentences)
        enc.stance(CLAIM, sentences)
    total, emb_t, st_t = [], [], []
    for _ in range(ns.runs):
        t = time.perf_counter()
        enc.embed(sentences)
        t1 = time.perf_counter()
        enc.stance(CLAIM, sentences)
        t2 = time.perf_counter()
        emb_t.append((t1 - t) * 1000)
        st_t.append((t2 - t1) * 1000)
        total.append((t2 - t) * 1000)
    for name, times in (("embed sentences", emb_t), ("stance per sentence", st_t), ("request (both)", total)):
        p50, p95 = percentiles(times)
        print(f"{name:>20s}: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({ns.runs} runs)")
    now = rss_mb()
    print(f"RSS before loading the encoder: {base:.0f} MB; after {ns.runs} requests: {now:.0f} MB; "
          f"added: {now - base:.0f} MB")
    try:
        print(f"load average: {os.getloadavg()[0]:.1f} (other work on the machine slows these figures)")
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
