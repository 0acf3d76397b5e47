"""Steelman: an offline trainer for debaters.

``trainer.core`` holds everything that runs without a screen (packs, matching,
storage, the practice session); ``trainer.ui`` is a thin Qt layer over it;
``trainer.cli`` drives the same core from a terminal.
"""

__version__ = "0.1.0"
