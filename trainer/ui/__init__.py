"""Thin Qt views over :mod:`trainer.core`.

Widgets receive a :class:`trainer.core.service.Service` and render the plain
records it returns; nothing here opens a database session or runs SQL.
"""
