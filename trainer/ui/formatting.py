"""Small text helpers shared by the views."""

from __future__ import annotations


def display_quote(quote: str) -> str:
    """A claim quote as shown: an extract starting mid-sentence gets a leading ellipsis."""
    quote = quote.strip()
    return f"…{quote}" if quote[:1].islower() else quote


def short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
