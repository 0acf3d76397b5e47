"""``python -m trainer`` does what the ``steelman`` command does."""

import sys

from trainer.cli import main

if __name__ == "__main__":
    sys.exit(main())
