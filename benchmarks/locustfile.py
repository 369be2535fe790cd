"""Load profile: signed-in users reading the main pages and every API list the API root links.

Before the clients start, every page and list is read a few times by each role (so each gunicorn
worker has loaded its templates and code), and which lists a role may read is found once per role.
The figures are of the steady state, not of a cold start.
"""

import json
import os
import random
import urllib.error
import urllib.request

from locust import FastHttpUser, between, events, task

# Each simulated client pauses like a person between clicks; STACKBOARD_LOAD_WAIT=0 removes it.
WAIT = float(os.environ.get("STACKBOARD_LOAD_WAIT", "1.0"))
PAGES = ["/", "/clouds/", "/roadmap/", "/meetups/", "/board/"]
WARM_UP_ROUNDS = 6  # gunicorn's workers share the requests; a few rounds reach them all
TOKENS = os.environ.get("STACKBOARD_LOAD_TOKENS", "").split(",")
# Token → the API lists that role may read (a 403 there is the permission model, not an error).
READABLE: dict[str, list[str]] = {}


def _get(host: str, path: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        host + path, headers={"Authorization": f"Token {token}", "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@events.test_start.add_listener
def _warm_up(environment, **_kwargs) -> None:
    host = environment.host.rstrip("/")
    for token in TOKENS:
        root = json.loads(_get(host, "/api/v1/", token)[1])
        lists = [
            "/" + url.split("://", 1)[1].split("/", 1)[1]
            for name, url in root.items()
            if name not in ("schema", "docs") and "{" not in url
        ]
        READABLE[token] = [path for path in lists if _get(host, path, token)[0] == 200]
        for _ in range(WARM_UP_ROUNDS):
            for path in PAGES + READABLE[token]:
                _get(host, path, token)


class DashboardUser(FastHttpUser):
    wait_time = between(WAIT * 0.5, WAIT * 1.5) if WAIT else between(0, 0)

    def on_start(self) -> None:
        token = random.choice(TOKENS)
        self.api_headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        self.api_lists = READABLE[token]

    @task(3)
    def api_list(self) -> None:
        path = random.choice(self.api_lists)
        self.client.get(path, headers=self.api_headers, name=path)

    @task(1)
    def page(self) -> None:
        path = random.choice(PAGES)
        self.client.get(path, name=path)


@events.quitting.add_listener
def _fail_on_errors(environment, **_kwargs) -> None:
    if environment.stats.total.num_failures:
        environment.process_exit_code = 1
