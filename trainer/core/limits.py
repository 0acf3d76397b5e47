"""Limits shared by the core and the views (kept import-light: no numpy here)."""

#: Only this many characters of a response are scored; the rest is kept but ignored.
SCORED_CHARS = 20_000
