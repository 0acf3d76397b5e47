"""Small text helpers shared by the views."""

from __future__ import annotations

from datetime import date


def display_quote(quote: str) -> str:
    """A claim quote as shown: an extract starting mid-sentence gets a leading ellipsis."""
    quote = quote.strip()
    return f"…{quote}" if quote[:1].islower() else quote


def short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


COACH_VERDICTS = {"covered": "made", "partly": "partly made", "missed": "not made"}


def dispute_outcome(status: str, coach: str | None, verdict: str | None, note: str) -> str:
    """How a dispute stands, in the words the coach's queue and the student's feedback both use."""
    if status == "open":
        return "waiting for your coach."
    said = f" Note: {note}" if note else ""
    if status == "accepted":
        return f"accepted by {coach or 'the coach'}: counted as {COACH_VERDICTS.get(verdict or '', verdict)}.{said}"
    return f"rejected by {coach or 'the coach'}: the verdict stands.{said}"


def due_text(day: date) -> str:
    """``"Fri 4 Dec"`` (no platform-specific strftime flags)."""
    return f"{day:%a} {day.day} {day:%b}"
