"""Alembic migrations, shipped inside the package and run by ``open_database``.

To add a revision from a checkout (the models in ``models.py`` changed)::

    /work/venv/bin/python -c "from alembic import command; \
from trainer.core.storage.database import alembic_config; \
command.revision(alembic_config('sqlite:///scratch.sqlite3'), 'what changed', \
autogenerate=True, rev_id='0003')"

(first bring ``scratch.sqlite3`` to head with ``open_database``). Review the
generated file by hand: revisions are numbered ``0001``, ``0002``, ... and
must never be edited once released.
"""
