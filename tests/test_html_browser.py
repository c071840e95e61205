"""The HTML pages (diff, show, cost, the reprice spend report) in a real browser: headless
Chromium at 1280 and 390 pixels wide.

Chromium is driven through the DevTools protocol over a pipe (--remote-debugging-pipe: JSON
messages ended by NUL on file descriptors 3 and 4), with the standard library only and nothing
on the network. Each page is opened from a file; the test fails on any console error (a blocked
load, a script error, a CSP violation), reads the rendered DOM (the title, the key-difference
sentences, every chart laid out with a size and a text alternative, nothing wider than the
window) and saves a full-page screenshot under tests/artifacts/ (ignored by git).

Chromium is Debian's `chromium` package: .ci/run installs it where it is missing, and so does
the README's test set-up. Without it the tests skip, saying so.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
USAGE = Path(__file__).parent / "fixtures" / "usage"
CSV_MAP = (
    "model=llm_model,input=prompt_tokens,cached=cache_hits,output=completion_tokens,"
    "time=ts,project=team,cost=cost_usd,input_includes_cached=yes"
)
WIDTHS = (1280, 390)
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 60.0  # seconds for one answer of the browser: a hang fails, it never waits forever

# What the page shows, read from the rendered DOM; the figures' sizes from the layout.
PROBE = """(() => {
  const text = (el) => (el ? el.textContent.replace(/\\s+/g, ' ').trim() : '');
  const figures = [...document.querySelectorAll('figure')].map((f) => {
    const svg = f.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    return {
      caption: text(f.querySelector('figcaption')),
      label: (f.querySelector('[role=img]') || {getAttribute: () => ''}).getAttribute('aria-label'),
      width: box.width, height: box.height,
      bars: svg ? svg.querySelectorAll('rect.rect').length : 0,
      rows: f.querySelectorAll('table tbody tr').length,
    };
  });
  return {
    title: document.title,
    h1: text(document.querySelector('h1')),
    differences: [...document.querySelectorAll('#differences li')].map(text),
    figures,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    body: text(document.body),
    background: getComputedStyle(document.body).backgroundColor,
    colour: getComputedStyle(document.body).color,
  };
})()"""


def browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium, spoken to over --remote-debugging-pipe."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the protocol's descriptors are 3 (in) and 4 (out)
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",  # root in CI
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=wire,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        while True:
            event = self._read()
            if event.get("method") == method:
                return event
            self.events.append(event)

    def _read(self) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], TIMEOUT)
            if not ready:
                raise AssertionError("the browser did not answer")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise AssertionError("the browser closed the pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def close(self) -> None:
        try:
            os.write(self._to_browser, json.dumps({"id": 0, "method": "Browser.close"}).encode())
            os.write(self._to_browser, b"\0")
        except OSError:
            pass
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


def console_errors(events: list[dict[str, Any]]) -> list[str]:
    """Console errors among the protocol's events: log entries, console calls, exceptions."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(params["entry"]["text"])
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            found.append(" ".join(str(a.get("value")) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            found.append(params["exceptionDetails"]["text"])
    return found


def render(
    chrome: Browser, page: Path, width: int, shot: Path | None, scheme: str = "light"
) -> tuple[Any, list[str]]:
    """The probe's findings and the console errors of `page` at `width` pixels wide, in the
    colour scheme `scheme` (prefers-color-scheme)."""
    target = chrome.send("Target.createTarget", url="about:blank")["targetId"]
    session = chrome.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    try:
        for domain in ("Page", "Runtime", "Log"):
            chrome.send(f"{domain}.enable", session)
        chrome.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        chrome.send(
            "Emulation.setEmulatedMedia",
            session,
            features=[{"name": "prefers-color-scheme", "value": scheme}],
        )
        chrome.events.clear()
        chrome.send("Page.navigate", session, url=page.resolve().as_uri())
        chrome.wait_for("Page.loadEventFired")
        found = chrome.send("Runtime.evaluate", session, expression=PROBE, returnByValue=True)[
            "result"
        ]["value"]
        if shot is not None:
            size = chrome.send("Page.getLayoutMetrics", session)["cssContentSize"]
            clip = {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1}
            data = chrome.send(
                "Page.captureScreenshot",
                session,
                format="png",
                captureBeyondViewport=True,
                clip=clip,
            )["data"]
            shot.write_bytes(base64.b64decode(data))
        errors = console_errors([e for e in chrome.events if e.get("sessionId") == session])
        return found, errors
    finally:
        chrome.send("Target.closeTarget", targetId=target)


@pytest.fixture(scope="module")
def chrome() -> Iterator[Browser]:
    executable = browser()
    if executable is None:
        pytest.skip(
            "headless Chromium is not installed: `apt-get install -y chromium` "
            "(.ci/run installs it; see the README's test set-up)"
        )
    with tempfile.TemporaryDirectory(prefix="aicompare-chromium-") as profile:
        started = Browser(executable, Path(profile))
        try:
            yield started
        finally:
            started.close()


PAGES = {
    "diff": (["diff", "alpha-old", "alpha-mini", "pixel-one"], False),
    "diff-workload": (["diff", "alpha-large", "alpha-mini", "--tokens", "5M"], False),
    "show": (["show", "pixel-one"], False),
    "cost": (["cost", "alpha-large", "alpha-mini", "alpha-old", "--tokens", "5M"], False),
    # the page of the "done when", on the bundled catalog
    "diff-gpt-image-1-o4-mini": (["diff", "gpt-image-1", "o4-mini"], True),
    # spend reports of the usage fixtures, on the bundled catalog: by month (a long period)
    # with what-if, migration and reconciliation; by project; by day (one day of usage)
    "reprice-litellm": (
        ["reprice", str(USAGE / "litellm_spend_logs.csv"), "--on", "gpt-5-mini", "--migrate"],
        True,
    ),
    "reprice-mapped": (
        ["reprice", str(USAGE / "usage_map.csv"), "--map", CSV_MAP, "--by", "project"],
        True,
    ),
    "reprice-anthropic": (
        [
            "reprice",
            str(USAGE / "anthropic_usage_2026.json"),
            "--on",
            "gpt-5-mini",
            "--on",
            "gpt-4.1-mini",
            "--migrate",
        ],
        True,
    ),
}


@pytest.fixture
def written(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[[str], tuple[Path, Any]]:
    def write(name: str) -> tuple[Path, Any]:
        args, bundled = PAGES[name]
        if bundled:
            monkeypatch.delenv("AICOMPARE_BASE_CATALOG")
        path = tmp_path / f"{name}.html"
        ran = cli(*args, "--format", "html", "-o", str(path))
        assert ran.exit_code == 0, ran.stderr
        doc = cli(*args, "--json")
        assert doc.exit_code == 0, doc.stderr
        return path, doc.json()

    return write


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_in_the_browser(
    chrome: Browser, written: Callable[[str], tuple[Path, Any]], name: str, width: int
) -> None:
    path, doc = written(name)
    ARTIFACTS.mkdir(exist_ok=True)
    found, errors = render(chrome, path, width, ARTIFACTS / f"{name}-{width}.png")
    assert errors == []
    assert found["title"].endswith(" — aicompare") and found["h1"]
    assert found["title"].startswith(found["h1"])
    if doc["command"] == "reprice":
        first, last = doc["period"]["from"], doc["period"]["to"]
        assert found["h1"] == "AI spend report, " + (
            first if first == last else f"{first} to {last}"
        )
        assert found["figures"][0]["caption"].startswith("Spend by ")  # over time, first
    if doc["command"] == "diff":
        assert found["h1"] == " vs ".join(m["id"] for m in doc["models"])
        assert found["differences"] == [d["text"] for d in doc["differences"]]
        assert found["differences"]
    figures = found["figures"]
    assert figures
    for figure in figures:
        assert figure["caption"] and figure["label"].startswith(figure["caption"] + ": ")
        assert figure["width"] > 100 and figure["height"] > 30, figure
        assert figure["bars"] >= 1 and figure["rows"] >= 1, figure
        assert figure["width"] <= width
    assert found["scrollWidth"] <= found["innerWidth"]  # no sideways scrolling of the page
    assert f"as of {doc['as_of']}" in found["body"]


@pytest.mark.parametrize(
    ("scheme", "background", "colour"),
    [
        ("light", "rgb(255, 255, 255)", "rgb(31, 35, 40)"),
        ("dark", "rgb(13, 17, 23)", "rgb(230, 237, 243)"),
    ],
)
def test_page_follows_the_colour_scheme(
    chrome: Browser,
    written: Callable[[str], tuple[Path, Any]],
    scheme: str,
    background: str,
    colour: str,
) -> None:
    path, _ = written("diff")
    ARTIFACTS.mkdir(exist_ok=True)
    found, errors = render(chrome, path, 390, ARTIFACTS / f"diff-390-{scheme}.png", scheme)
    assert errors == []
    assert (found["background"], found["colour"]) == (background, colour)


def test_the_browser_test_sees_a_blocked_load(chrome: Browser, tmp_path: Path) -> None:
    """The check above can fail: a page that tries to load an image is reported."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta http-equiv='Content-Security-Policy' "
        "content=\"default-src 'none'\"><title>t</title></head>"
        "<body><img src='https://example.com/x.png' alt=''></body></html>",
        encoding="utf-8",
    )
    _, errors = render(chrome, page, 1280, None)
    assert len(errors) == 1
    assert "violates the following Content Security Policy directive" in errors[0]
