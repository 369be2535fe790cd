"""Load profile: signed-in users reading the main pages and every API list the API root links."""

import os
import random

from locust import FastHttpUser, between, events, task

# Each simulated client pauses like a person between clicks; STACKBOARD_LOAD_WAIT=0 removes it.
WAIT = float(os.environ.get("STACKBOARD_LOAD_WAIT", "1.0"))
PAGES = ["/", "/clouds/", "/roadmap/", "/meetups/", "/board/"]


class DashboardUser(FastHttpUser):
    wait_time = between(WAIT * 0.5, WAIT * 1.5) if WAIT else between(0, 0)

    def on_start(self) -> None:
        token = random.choice(os.environ["STACKBOARD_LOAD_TOKENS"].split(","))
        self.api_headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        root = self.client.get("/api/v1/", headers=self.api_headers, name="/api/v1/").json()
        candidates = [
            "/" + url.split("://", 1)[1].split("/", 1)[1]
            for name, url in root.items()
            if name not in ("schema", "docs") and "{" not in url
        ]
        # Only the lists this role may read: a 403 here is the permission model, not an error.
        self.api_lists = [path for path in candidates if self._readable(path)]

    def _readable(self, path: str) -> bool:
        with self.client.get(
            path, headers=self.api_headers, name="probe", catch_response=True
        ) as response:
            response.success()
            return response.status_code == 200

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
