"""Pair features between response units (sentences) and key points, numpy only.

The same function serves training (scripts/train_matcher.py) and inference, so
the learned combiner always sees features computed by this code.
"""

from __future__ import annotations

import numpy as np

from .embed import TextRep
from .text import has_negation as _negated

FEATURE_NAMES: tuple[str, ...] = (
    "cos_raw",        # cosine of the mean token vectors
    "cos_topic",      # cosine after projecting the topic direction out of both sides
    "cos_content",    # cosine of idf-weighted content-word means (topic words removed)
    "align_kp",       # soft word alignment: each key-point word to its best response word
    "align_unit",     # soft word alignment: each response word to its best key-point word
    "overlap_kp",     # idf share of the key point's stems found in the response
    "overlap_jac",    # Jaccard of the stem sets
    "rel_cos_topic",  # cos_topic minus the best cos_topic among the claim's key points
    "z_cos_topic",    # z-score of cos_topic among the claim's key points
    "rel_align_kp",
    "z_align_kp",
    "rel_cos_content",
    "z_cos_content",
    "cos_content_centered",  # cos_content after subtracting the mean key point (claim-level centring)
    "cos_topic_centered",
    "rel_centered",
    "neg_mismatch",   # one side negated, the other not
    "is_best",        # 1 if this key point has the best mean of the three scores
    "log_unit_words",
    "log_kp_words",
    "unit_topic_cos",
    "kp_topic_cos",
    "n_kp",
)


def _project_out(v: np.ndarray, t: np.ndarray) -> np.ndarray:
    out = v - np.outer(v @ t, t)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-8)


def _content_vec(rep: TextRep, mask: np.ndarray) -> np.ndarray:
    if not mask.any():
        return np.zeros(rep.vec.shape[0], np.float32)
    w = rep.idf[mask]
    v = (rep.wvecs[mask] * w[:, None]).sum(0)
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def _rel(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x - max over key points, z-score over key points) along the last axis."""
    mx = x.max(axis=1, keepdims=True)
    mu = x.mean(axis=1, keepdims=True)
    sd = x.std(axis=1, keepdims=True)
    return x - mx, (x - mu) / np.maximum(sd, 0.05)


def _segments(reps, masks):
    """Concatenate masked word vectors / idf; return (vectors, idf, starts, nonempty idx)."""
    vecs, idfs, starts, nonempty = [], [], [], []
    pos = 0
    for i, (r, m) in enumerate(zip(reps, masks)):
        n = int(m.sum())
        if n == 0:
            continue
        vecs.append(r.wvecs[m])
        idfs.append(r.idf[m])
        starts.append(pos)
        nonempty.append(i)
        pos += n
    if not vecs:
        return None
    return (np.concatenate(vecs).astype(np.float64), np.concatenate(idfs).astype(np.float64),
            np.array(starts, dtype=np.int64), np.array(nonempty, dtype=np.int64))


def _alignment(kps, k_masks, units, u_masks, center=None):
    """Soft word alignment in both directions, vectorised over all pairs."""
    U, K = len(units), len(kps)
    a_k = np.zeros((U, K))
    a_u = np.zeros((U, K))
    ks = _segments(kps, k_masks)
    us = _segments(units, u_masks)
    if ks is None or us is None:
        return a_k, a_u
    kw, kidf, kst, kne = ks
    uw, uidf, ust, une = us
    if center is not None:
        kw = kw - center
        kw /= np.maximum(np.linalg.norm(kw, axis=1, keepdims=True), 1e-8)
        uw = uw - center
        uw /= np.maximum(np.linalg.norm(uw, axis=1, keepdims=True), 1e-8)
    sim = kw @ uw.T                                   # (kp words, unit words)
    best_in_unit = np.maximum.reduceat(sim, ust, axis=1)   # (kp words, units)
    num = np.add.reduceat(best_in_unit * kidf[:, None], kst, axis=0)  # (kps, units)
    den = np.add.reduceat(kidf, kst)[:, None]
    a_k[np.ix_(une, kne)] = (num / den).T
    best_in_kp = np.maximum.reduceat(sim, kst, axis=0)     # (kps, unit words)
    num = np.add.reduceat(best_in_kp * uidf[None, :], ust, axis=1)  # (kps, units)
    den = np.add.reduceat(uidf, ust)[None, :]
    a_u[np.ix_(une, kne)] = (num / den).T
    return a_k, a_u


def _overlap(kps, k_masks, units, u_masks):
    U, K = len(units), len(kps)
    vocab: dict[str, int] = {}
    k_rows = []
    for k, m in zip(kps, k_masks):
        d = {}
        for s, w, keep in zip(k.stems, k.idf, m):
            if keep:
                d[vocab.setdefault(s, len(vocab))] = float(w)
        k_rows.append(d)
    u_rows = []
    for u, m in zip(units, u_masks):
        u_rows.append({vocab[s] for s, keep in zip(u.stems, m) if keep and s in vocab})
    KI = np.zeros((K, max(len(vocab), 1)))
    KB = np.zeros_like(KI)
    for j, d in enumerate(k_rows):
        for c, w in d.items():
            KI[j, c] = w
            KB[j, c] = 1.0
    UB = np.zeros((U, KI.shape[1]))
    for i, r in enumerate(u_rows):
        for c in r:
            UB[i, c] = 1.0
    n_u = np.array([len({s for s, keep in zip(u.stems, m) if keep}) for u, m in zip(units, u_masks)], float)
    tot = KI.sum(1)
    ov = (UB @ KI.T) / np.maximum(tot, 1e-9)[None, :]
    inter = UB @ KB.T
    union = n_u[:, None] + KB.sum(1)[None, :] - inter
    jac = np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)
    return ov, jac


def pair_features(topic: TextRep, kps: list[TextRep], units: list[TextRep]) -> np.ndarray:
    """Features of shape (len(units), len(kps), len(FEATURE_NAMES))."""
    U, K = len(units), len(kps)
    F = np.zeros((U, K, len(FEATURE_NAMES)), dtype=np.float64)
    if U == 0 or K == 0:
        return F
    tvec = topic.vec.astype(np.float64)
    tn = np.linalg.norm(tvec)
    t_hat = tvec / tn if tn > 0 else tvec
    topic_stems = set(topic.stems)
    # words shared by at least half of the key points (and 2+) are background, like topic words
    if K >= 3:
        counts: dict[str, int] = {}
        for k in kps:
            for st in set(k.stems):
                counts[st] = counts.get(st, 0) + 1
        topic_stems |= {st for st, c in counts.items() if c >= max(2, (K + 1) // 2)}

    KV = np.stack([k.vec for k in kps]).astype(np.float64)
    UV = np.stack([u.vec for u in units]).astype(np.float64)
    cos_raw = UV @ KV.T
    cos_topic = _project_out(UV, t_hat) @ _project_out(KV, t_hat).T

    # content words without topic words
    k_masks = [np.array([s not in topic_stems for s in k.stems], dtype=bool) for k in kps]
    u_masks = [np.array([s not in topic_stems for s in u.stems], dtype=bool) for u in units]
    KC = np.stack([_content_vec(k, m) for k, m in zip(kps, k_masks)]).astype(np.float64)
    UC = np.stack([_content_vec(u, m) for u, m in zip(units, u_masks)]).astype(np.float64)
    cos_content = UC @ KC.T

    align_kp, align_unit = _alignment(kps, k_masks, units, u_masks)
    overlap_kp, overlap_jac = _overlap(kps, k_masks, units, u_masks)

    def centered(A, B):
        mu = B.mean(axis=0, keepdims=True)
        A2, B2 = A - mu, B - mu
        A2 /= np.maximum(np.linalg.norm(A2, axis=1, keepdims=True), 1e-8)
        B2 /= np.maximum(np.linalg.norm(B2, axis=1, keepdims=True), 1e-8)
        return A2 @ B2.T

    cc_cent = centered(UC, KC) if K > 1 else cos_content
    ct_cent = centered(_project_out(UV, t_hat), _project_out(KV, t_hat)) if K > 1 else cos_topic
    rel_cent = cc_cent - cc_cent.max(axis=1, keepdims=True)
    u_neg = np.array([_negated(u.text) for u in units], dtype=np.float64)
    k_neg = np.array([_negated(k.text) for k in kps], dtype=np.float64)
    neg_mm = np.abs(u_neg[:, None] - k_neg[None, :])
    r_ct, z_ct = _rel(cos_topic)
    r_ak, z_ak = _rel(align_kp)
    r_cc, z_cc = _rel(cos_content)
    combo = cos_topic + align_kp + cos_content
    is_best = (combo >= combo.max(axis=1, keepdims=True) - 1e-12).astype(np.float64)

    log_u = np.log1p(np.array([u.n_words for u in units], dtype=np.float64))[:, None] * np.ones((1, K))
    log_k = np.ones((U, 1)) * np.log1p(np.array([k.n_words for k in kps], dtype=np.float64))[None, :]
    u_t = (UV @ t_hat)[:, None] * np.ones((1, K))
    k_t = np.ones((U, 1)) * (KV @ t_hat)[None, :]
    n_kp = np.full((U, K), np.log(K))

    cols = [cos_raw, cos_topic, cos_content, align_kp, align_unit, overlap_kp, overlap_jac,
            r_ct, z_ct, r_ak, z_ak, r_cc, z_cc, cc_cent, ct_cent, rel_cent, neg_mm, is_best, log_u, log_k, u_t, k_t, n_kp]
    for n, c in enumerate(cols):
        F[:, :, n] = c
    return F
