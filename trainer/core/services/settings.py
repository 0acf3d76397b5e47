"""Small remembered choices: the last profile and pack, a session's position."""

from __future__ import annotations

from .data import Data


class Settings:
    def __init__(self, data: Data) -> None:
        self._data = data

    def get(self, key: str, *, profile_id: int | None = None, default: str | None = None) -> str | None:
        """A setting (global when ``profile_id`` is None), or ``default``."""
        return self._data.store.get_setting(key=key, profile_id=profile_id, default=default)

    def set(self, key: str, value: str | None, *, profile_id: int | None = None) -> None:
        """Store a setting; ``None`` removes it."""
        self._data.store.set_setting(key=key, value=value, profile_id=profile_id)
