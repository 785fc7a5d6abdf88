"""An editor saving content once a second, and how long until each save is served.

Run by `editors.py` as a child process with the bench's environment (it uses the ORM as the
admin's save does; the project's freshness hook bumps the page-cache version on commit):

    python bench/editor.py BASE_URL PAGE_PATH ROLE_SLUG SECONDS

Each second it writes a new tagline (with a marker of its own) to the career `ROLE_SLUG`,
then polls `PAGE_PATH` (a page that shows the tagline) on `BASE_URL` until the marker is
served, and prints one JSON line per save: {"save": n, "visible_ms": ms} (null if it was not
served within five seconds). The last line is {"done": saves}.
"""

import json
import os
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from roles.models import Role  # noqa: E402

POLL_SECONDS = 0.01
GIVE_UP_SECONDS = 5.0


def served(url: str, marker: str) -> bool:
    with urllib.request.urlopen(url, timeout=5) as response:
        return marker in response.read().decode()


def main() -> None:
    base, path, slug, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    translation.activate("en")
    role = Role.objects.get(slug=slug)
    original = role.tagline.split(" (bench edit")[0]
    started = time.monotonic()
    saves = 0
    while time.monotonic() - started + 1 <= seconds:
        tick = started + saves + 0.5
        time.sleep(max(tick - time.monotonic(), 0))
        marker = f"bench edit {os.getpid()}-{saves}"
        role.tagline = f"{original} ({marker})"
        role.save()
        saved = time.monotonic()
        saves += 1
        visible_ms = None
        while time.monotonic() - saved < GIVE_UP_SECONDS:
            if served(base + path, marker):
                visible_ms = (time.monotonic() - saved) * 1000
                break
            time.sleep(POLL_SECONDS)
        print(json.dumps({"save": saves, "visible_ms": visible_ms}), flush=True)
    print(json.dumps({"done": saves}), flush=True)


if __name__ == "__main__":
    main()
