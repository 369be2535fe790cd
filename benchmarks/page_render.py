"""The preview page's first render in a real Chromium, for `manage.py bench_placement`.

The site is served from this process on a loopback port (static files included) and the browser
signs in with the session cookie the bench's client already holds.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

CHROMIUM = "/usr/bin/chromium"
MAP_DRAWN = "canvas.host-canvas:not([data-cells='0'])"


@dataclass(slots=True)
class Render:
    first_paint_ms: float  # navigation start to first contentful paint
    map_drawn_ms: float  # navigation start to the first map canvas with cells drawn
    transferred_kb: float  # the HTML document as sent


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _ThreadedServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request, client_address):
        # The page fetches scripts and styles in parallel: one thread per connection.
        thread = threading.Thread(target=self._handle, args=(request, client_address), daemon=True)
        thread.start()

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


def measure(path: str, session_cookie: tuple[str, str], runs: int) -> list[Render]:
    """Open `path` `runs` times in a fresh page each, timing first paint and the map drawn."""
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
            for _ in range(runs):
                page = context.new_page()
                page.goto(base + path, wait_until="commit")
                page.wait_for_selector(MAP_DRAWN, timeout=30000)
                timing = page.evaluate(
                    """() => {
                      const paint = performance.getEntriesByName('first-contentful-paint')[0];
                      const nav = performance.getEntriesByType('navigation')[0];
                      return {paint: paint ? paint.startTime : -1, now: performance.now(),
                              size: nav ? nav.encodedBodySize : 0};
                    }"""
                )
                renders.append(Render(timing["paint"], timing["now"], timing["size"] / 1000))
                page.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return renders
