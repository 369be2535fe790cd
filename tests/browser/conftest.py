"""Headless Chromium (Debian's) driven by Playwright against the live test server."""

import os

import pytest

from conftest import CHROMIUM, require_services

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    require_services("Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page; fails the test if the Content-Security-Policy blocked anything on it."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert violations == [], "the page broke the Content-Security-Policy"


def sign_in(page, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


@pytest.fixture
def admin_page(page, admin_user):
    """A page signed in as the cloud admin."""
    sign_in(page, "alice-admin", "pw-alice-admin")
    return page


def rename_then_delete_host(page, new_name: str) -> None:
    """From a host's page: rename it through its edit form, then delete it after confirming."""
    page.get_by_test_id("host-edit-link").click()
    page.fill("#id_name", new_name)
    page.get_by_role("button", name="Save host").click()
    page.wait_for_url(f"**/hosts/{new_name}/")
    page.get_by_role("button", name="Delete host").click()
    page.get_by_role("button", name=f"Delete host {new_name}").click()
    page.wait_for_url("**/hosts/")
    assert f"Host {new_name} deleted." in page.locator("#messages").inner_text()
