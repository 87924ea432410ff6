"""Browser fixtures: the system Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API keeps an asyncio event loop running in the test thread for as long
as the browser is open, and Django then refuses database access from that thread unless
DJANGO_ALLOW_ASYNC_UNSAFE is set. The variable is set only while the browser is open
(the ``browser`` fixture, one per test module): left set, it would leak into the rest of
the run, e.g. into the ``check --deploy`` subprocess, which rejects it (async.E001).
The tests touch the database only through fixtures, never concurrently with the browser.
"""

import os
from pathlib import Path

import pytest

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 375, "height": 812},
}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"browser tests need the system Chromium at {CHROMIUM}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set, so this is an error, not a skip)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request):
    """Every browser test runs at desktop width (1280) and phone width (375)."""
    return request.param


class PageProblems:
    """Script errors, console errors and failed sub-resources seen while a page was open."""

    def __init__(self, page):
        self.items = []
        page.on("pageerror", lambda exc: self.items.append(f"page error: {exc}"))
        page.on("console", self._console)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, msg):
        # The browser also logs "Failed to load resource" for the 403/404 documents
        # that some tests expect; sub-resource failures are caught by _response.
        if msg.type == "error" and "Failed to load resource" not in msg.text:
            self.items.append(f"console error: {msg.text} at {msg.location}")

    def _failed(self, request):
        # ERR_ABORTED is Chromium cancelling a request (navigation away, or an error
        # response, which _response reports); anything else is a real network failure.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.items.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.items.append(f"HTTP {response.status} for {response.url}")


@pytest.fixture
def page(browser, viewport, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport=VIEWPORTS[viewport], base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.problems = PageProblems(pg)
    yield pg
    context.close()
    assert not pg.problems.items, "the browser reported problems:\n" + "\n".join(pg.problems.items)


@pytest.fixture(scope="session")
def root_conftest(pytestconfig):
    """The project's root conftest module (the fixed cast and its password).

    Every conftest.py outside a package is imported under the module name "conftest"
    and pytest drops the previous one from sys.modules before importing the next, so
    "from conftest import ..." here would find this file; take pytest's own copy.
    """
    wanted = ROOT / "conftest.py"
    for plugin in pytestconfig.pluginmanager.get_plugins():
        file = getattr(plugin, "__file__", None)
        if file and Path(file).resolve() == wanted:
            return plugin
    raise LookupError(f"pytest has not loaded {wanted}")


@pytest.fixture(scope="session")
def password(root_conftest):
    """The password of every cast member."""
    return root_conftest.PASSWORD


@pytest.fixture
def live_cast(transactional_db, live_server, root_conftest):
    """The fixed cast, committed so that the live server thread can see it.

    The live server needs committed data, hence a transactional database, which is
    flushed after each test; the code tables that the migrations load (sex, ethnicity,
    ...) are put back first with the same loader (it only inserts what is missing).
    """
    from zugong.core.dictionaries import load_dictionaries

    load_dictionaries()
    return root_conftest.build_cast()


@pytest.fixture
def shot(page, viewport, request):
    """Save a full-page screenshot to test-artifacts/<test>-<step>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    base = request.node.originalname

    def take(step):
        path = ARTIFACTS / f"{base}-{step}-{VIEWPORTS[viewport]['width']}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
