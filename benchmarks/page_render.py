"""The preview page's first render in a real Chromium, for `manage.py bench_placement`.

The site is served from this process on a loopback port (static files included) and the browser
signs in with the session cookie the bench's client already holds.
"""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

CHROMIUM = "/usr/bin/chromium"
MAP_DRAWN = "canvas.host-canvas:not([data-cells='0'])"


@dataclass(slots=True)
class Render:
    first_paint_ms: float  # navigation start to first contentful paint
    map_drawn_ms: float  # navigation start to the `ready` selector (the map drawn) or load
    transferred_kb: float  # the HTML document as sent


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _ThreadedServer(WSGIServer):
    """Requests served by a few long-lived threads, as gunicorn's workers serve them: each keeps
    its database connection (CONN_MAX_AGE) from one request to the next."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page fetches scripts and styles in parallel.
        self.workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="render-server")

    def process_request(self, request, client_address):
        self.workers.submit(self._handle, request, client_address)

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


def unavailable() -> str | None:
    """Why the render cannot be measured here, None if it can."""
    try:
        import playwright.sync_api  # noqa: F401 - only whether it is installed
    except ImportError:
        return "Playwright is not installed (requirements-dev.txt)"
    if not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM}"
    return None


def measure(
    path: str, session_cookie: tuple[str, str], runs: int, ready: str | None = MAP_DRAWN
) -> list[Render]:
    """Open `path` `runs` times in a fresh page each (after one uncounted), timing first paint
    and until `ready` shows (a selector; None: the page's load event)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application
    from playwright.sync_api import sync_playwright

    server = make_server(
        "127.0.0.1",
        0,
        StaticFilesHandler(get_wsgi_application()),
        server_class=_ThreadedServer,
        handler_class=_Quiet,
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    renders = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            name, value = session_cookie
            context.add_cookies([{"name": name, "value": value, "url": base}])
            # One page first, not counted: the browser's own start (fonts, caches) is not the
            # page's render.
            for run in range(runs + 1):
                page = context.new_page()
                page.goto(base + path, wait_until="commit")
                if ready:
                    page.wait_for_selector(ready, timeout=30000)
                else:
                    page.wait_for_load_state("load")
                page.wait_for_function(
                    "performance.getEntriesByName('first-contentful-paint').length > 0"
                )
                timing = page.evaluate(
                    """() => {
                      const paint = performance.getEntriesByName('first-contentful-paint')[0];
                      const nav = performance.getEntriesByType('navigation')[0];
                      return {paint: paint ? paint.startTime : -1, now: performance.now(),
                              size: nav ? nav.encodedBodySize : 0};
                    }"""
                )
                if run:
                    renders.append(Render(timing["paint"], timing["now"], timing["size"] / 1000))
                page.close()
            browser.close()
    finally:
        server.shutdown()
        server.workers.shutdown(wait=False)
        server.server_close()
    return renders
