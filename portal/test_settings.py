"""Settings for the test suite: the project's settings, never a developer's `.env`.

`pytest` on a fresh checkout needs nothing but the dev requirements: the tests run as a
development configuration (DEBUG settings, tasks run at once, finders serve static files)
whatever `.env` says. Variables set in the environment on purpose still count: DATABASE_URL
puts the suite on PostgreSQL, as CI does. Subprocesses the tests start inherit these two.
"""

import os

os.environ["READ_DOT_ENV"] = "false"
os.environ["DEBUG"] = "true"

from portal.settings import *  # noqa: E402, F403

# The slowest part of creating users is hashing their passwords; tests need no real hash.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
