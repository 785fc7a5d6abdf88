"""Steady while editors save (issue 20, point 3): after a content change each page is
rendered by one worker at a time, the others serve the previous copy for a bounded time, and
a render that fails or hangs never leaves a page stuck.

Each "worker" here is a thread; they share the page store and the shared cache as workers
of one app server share Redis (the tests of portal/cache.py run the same against Redis).
"""

import threading
import time

import pytest
from django.core.cache import cache, caches
from django.http import HttpResponse

from portal import pagecache
from portal.pagecache import cached_public_page, invalidate_public_pages

pytestmark = pytest.mark.django_db


class SlowView:
    """A public page that counts its renders; a render can be held until released."""

    def __init__(self):
        self.renders = 0
        self.hold = threading.Event()
        self.hold.set()
        self.rendering = threading.Event()
        self.fail = False
        self.view = cached_public_page(self._render)

    def _render(self, request):
        self.renders += 1
        self.rendering.set()
        self.hold.wait(10)
        if self.fail:
            raise ValueError("the template broke")
        return HttpResponse(f"<p>render {self.renders}</p>" * 30)

    def __call__(self, request):
        return self.view(request)


@pytest.fixture
def page():
    return SlowView()


def body(response) -> bytes:
    import gzip

    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    return response.content


def another_process():
    """A worker or app server that shares Redis but has none of this one's pages."""
    caches["pages"].clear()


def in_background(view, request) -> tuple[threading.Thread, list]:
    answers = []
    thread = threading.Thread(target=lambda: answers.append(view(request)))
    thread.start()
    return thread, answers


def test_concurrent_requests_for_a_stale_page_cause_one_render(rf, page):
    page(rf.get("/careers/"))
    invalidate_public_pages()
    page.hold.clear()
    page.rendering.clear()
    renderer, answers = in_background(page, rf.get("/careers/"))
    assert page.rendering.wait(5)

    others = [page(rf.get("/careers/")) for _ in range(20)]

    assert page.renders == 2  # the first render, and one after the change
    for response in others:
        assert response.status_code == 200
        assert body(response).startswith(b"<p>render 1</p>")  # the previous copy
        assert "no-cache" in response["Cache-Control"]  # may predate the edit: ask again
    page.hold.set()
    renderer.join(5)
    assert body(answers[0]).startswith(b"<p>render 2</p>")
    assert body(page(rf.get("/careers/"))).startswith(b"<p>render 2</p>")
    assert page.renders == 2


def test_threads_without_a_copy_wait_for_the_one_render(rf, page):
    page.hold.clear()
    threads = [in_background(page, rf.get("/careers/")) for _ in range(6)]
    assert page.rendering.wait(5)
    time.sleep(0.1)
    page.hold.set()
    for thread, _ in threads:
        thread.join(10)
    answers = [answers[0] for _, answers in threads]
    assert page.renders == 1
    assert all(body(response).startswith(b"<p>render 1</p>") for response in answers)


def test_a_page_another_process_rendered_is_taken_not_rendered_again(rf, page):
    page(rf.get("/careers/"))
    invalidate_public_pages()
    page(rf.get("/careers/"))
    another_process()
    for accept in ("gzip", ""):
        response = page(rf.get("/careers/", headers={"accept-encoding": accept}))
        assert body(response).startswith(b"<p>render 2</p>")
        assert "no-cache" not in response["Cache-Control"]  # it is the current page
    assert page.renders == 2
    plain = page(rf.get("/careers/"))
    assert plain["ETag"] == page(rf.get("/careers/"))["ETag"]
    assert not plain.has_header("Content-Encoding")


def test_a_render_that_fails_releases_the_page_for_the_next_request(rf, page):
    page(rf.get("/careers/"))
    invalidate_public_pages()
    page.fail = True
    with pytest.raises(ValueError):
        page(rf.get("/careers/"))
    page.fail = False
    assert body(page(rf.get("/careers/"))).startswith(b"<p>render 3</p>")


def test_a_render_that_never_finishes_loses_its_lock_when_it_expires(rf, page, settings):
    settings.PUBLIC_PAGE_STALE_SECONDS = 1
    request = rf.get("/careers/")
    page(request)
    invalidate_public_pages()
    # A worker took the lock and died (or hangs) before it stored anything.
    key = pagecache._page_key(request)
    assert cache.add(f"render-lock:{key}", "a dead worker's", timeout=1)
    assert body(page(rf.get("/careers/"))).startswith(b"<p>render 1</p>")
    time.sleep(1.1)
    another_process()  # no copy of its own, not even a previous one: it renders
    pagecache._stale_since.clear()
    assert body(page(rf.get("/careers/"))).startswith(b"<p>render 2</p>")
    assert page.renders == 2


def test_no_previous_copy_is_served_longer_than_the_bound(rf, page, settings, monkeypatch):
    settings.PUBLIC_PAGE_STALE_SECONDS = 2
    clock = [5000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    page(rf.get("/careers/"))
    invalidate_public_pages()
    # Whoever holds the render lock keeps it (a render slower than the lock, again and again).
    monkeypatch.setattr(pagecache, "_take_render_lock", lambda key: None)

    assert body(page(rf.get("/careers/"))).startswith(b"<p>render 1</p>")
    clock[0] += 1.9
    assert body(page(rf.get("/careers/"))).startswith(b"<p>render 1</p>")
    clock[0] += 0.2
    assert body(page(rf.get("/careers/"))).startswith(b"<p>render 2</p>")
    assert page.renders == 2


def test_a_saved_change_is_served_at_once_when_nobody_else_renders(rf, page):
    page(rf.get("/careers/"))
    for expected in range(2, 6):
        invalidate_public_pages()
        assert body(page(rf.get("/careers/"))).startswith(f"<p>render {expected}</p>".encode())
