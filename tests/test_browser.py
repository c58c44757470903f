"""The dossier and the web UI in a real headless browser (Debian chromium + Playwright).

Every request that is not to 127.0.0.1 or the dossier file is blocked and recorded: the
dossier must make none. Screenshots go to tests/artifacts/ (gitignored) for a human look.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest

from publish_fixture import HOSTILE_ID, HOSTILE_JSONL_ID, MANBIJ, PRESSTV_RUSSIA, build_store
from veille.publish.dossier import write_dossier
from veille.settings import Settings
from veille.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is not installed (scripts/install-system.sh installs it)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    db = build_store(base / "v.db")
    with Store(db) as store:
        out = write_dossier(store, Settings(db=db, out=base / "out", outlet_files=()))
    import uvicorn

    from veille.web.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield {"dossier": out / "index.html", "base": f"http://127.0.0.1:{port}"}
    server.should_exit = True
    thread.join(5)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Watch:
    """A browser context that blocks and records every request off 127.0.0.1, plus dialogs and CSP errors."""

    def __init__(self, browser, viewport, allowed_file: Path | None = None):
        self.blocked: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport=viewport, service_workers="block", locale="fr-FR")  # a French reader: the UI follows Accept-Language
        allowed = allowed_file.as_uri() if allowed_file else None

        def route(r):
            url = r.request.url
            self.requests.append(url)
            if url.startswith("http://127.0.0.1:") or (allowed and url.split("#")[0] == allowed):
                r.continue_()
            else:
                self.blocked.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close(self):
        self.context.close()


def _shot(page, name, full=False):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def _no_injection(page):
    assert page.evaluate("document.querySelectorAll('#injected, #injected-link, iframe, img').length") == 0
    assert page.evaluate("document.body.hasAttribute('data-pwned')") is False
    assert page.evaluate("Array.from(document.scripts).every(s => s.src || s.type === 'application/json' || s.textContent.length > 1000)")


def test_dossier_offline_map_crosscheck_and_hostile_inert(browser, site):
    w = Watch(browser, DESKTOP, site["dossier"])
    page = w.page
    page.goto(site["dossier"].as_uri())
    page.wait_for_selector("#map path.event-marker")
    assert w.blocked == [] and w.requests == [site["dossier"].as_uri()]  # nothing but the file itself
    assert int(page.get_attribute("#map", "data-markers")) == 3
    assert page.locator("#map path.leaflet-interactive").count() >= 3
    _shot(page, "dossier-desktop")
    page.locator("#map").scroll_into_view_if_needed()
    _shot(page, "dossier-map-overview")
    # the cross-check of the Manbij entry: contradiction visible, the other outlet one click away
    entry = page.locator(f"#a-{MANBIJ}")
    contra = entry.locator(".contradiction")
    contra.scroll_into_view_if_needed()
    assert contra.is_visible() and "5 selon Yeni Şafak" in contra.inner_text()
    _shot(page, "dossier-crosscheck")
    entry.get_by_role("link", name="PressTV").click()
    assert page.evaluate("location.hash") == f"#a-{PRESSTV_RUSSIA}"
    assert page.locator(f"#a-{PRESSTV_RUSSIA}").is_visible()
    # the flag explains itself, one click away
    why = entry.locator("details.why")
    why.locator("summary").click()
    assert "Yeni Şafak" in why.inner_text() and "16 janvier 2019" in why.inner_text()
    # folded full text opens
    details = entry.locator("details:not(.why)")
    details.locator("summary").click()
    assert "Kurdistan 24" in details.inner_text()
    # a marker's popup gives the claim and who says it
    page.locator("#map").scroll_into_view_if_needed()
    markers = page.locator("#map path.event-marker")
    texts = []
    for i in range(markers.count()):
        markers.nth(i).dispatch_event("click")  # markers overlap near Manbij: click each one itself
        page.wait_for_selector(".leaflet-popup-content")
        texts.append(page.locator(".leaflet-popup-content").last.inner_text())  # the previous one may be fading out
    joined = "\n".join(texts)
    assert "Al Jazeera ← une source sur place" in joined and "9 mort(s)" in joined
    assert "<img src=x onerror=alert('loc')>" in joined  # hostile location shown as text
    _shot(page, "dossier-map")
    _no_injection(page)
    assert w.dialogs == [] and w.blocked == [] and w.errors == []
    w.close()


def test_dossier_on_a_phone_and_in_print(browser, site):
    w = Watch(browser, PHONE, site["dossier"])
    page = w.page
    page.goto(site["dossier"].as_uri())
    page.wait_for_selector("#map path.event-marker")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "horizontal scroll on a phone"
    _shot(page, "dossier-phone")
    page.locator(f"#a-{MANBIJ} .crosscheck").scroll_into_view_if_needed()
    _shot(page, "dossier-phone-crosscheck")
    page.emulate_media(media="print")
    assert page.locator("#map").is_hidden()
    assert page.locator(f"#a-{MANBIJ} details p").first.is_visible()  # full text printed unfolded
    assert w.blocked == [] and w.dialogs == []
    w.close()


def test_ui_story_contradiction_map_and_search(browser, site):
    base = site["base"]
    w = Watch(browser, DESKTOP)
    page = w.page
    page.goto(base + "/")
    _shot(page, "ui-home")
    page.get_by_role("link", name=re.compile("Explosion à Manbij")).click()
    page.wait_for_url(base + "/story/st-manbij")
    assert "5 selon Yeni Şafak" in page.locator(".contradiction").inner_text()
    assert page.locator(".sidebyside > section").count() == 2
    _shot(page, "ui-story")
    page.get_by_role("link", name="Carte").click()
    page.wait_for_selector("#map path.event-marker")
    page.wait_for_function("document.querySelectorAll('#map path:not(.event-marker)').length > 20")  # basemap from /static
    assert page.locator("#map path.event-marker").count() == 3
    _shot(page, "ui-map")
    page.get_by_label("Rechercher dans l'archive").fill("Daech")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Daech"))
    results = page.locator("ol.results > li")
    assert results.count() >= 2 and page.locator("ol.results mark").first.inner_text().lower() == "daech"
    _shot(page, "ui-search")
    results.get_by_role("link").first.click()
    page.wait_for_selector("mark.entity, mark.figure, mark.place")
    _shot(page, "ui-article")
    page.goto(f"{base}/article/{MANBIJ}")
    assert page.locator(".text mark.figure").count() == 3 and page.locator(".text mark.place").count() >= 1
    assert page.locator(".contradiction").is_visible()
    _shot(page, "ui-article-manbij", full=True)
    page.goto(f"{base}/article/{HOSTILE_ID}")
    page.get_by_role("heading", level=1).wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "<b onmouseover=alert('hl')>HOSTILE</b>"  # shown as text
    assert "<script>alert('xss-title')</script>" in page.locator("p.title").inner_text()
    _no_injection(page)
    page.goto(f"{base}/article/{HOSTILE_JSONL_ID}")
    assert "<svg/onload=alert('svg')>" in page.get_by_role("heading", level=1).inner_text()
    _no_injection(page)
    page.goto(base + "/map")
    page.wait_for_selector("#map path.event-marker")
    _no_injection(page)
    assert w.dialogs == [] and w.blocked == []
    assert not [e for e in w.errors if "Content Security Policy" in e or "Refused" in e], w.errors
    w.close()


def test_ui_on_a_phone(browser, site):
    w = Watch(browser, PHONE)
    page = w.page
    for path, name in (("/story/st-manbij", "ui-phone-story"), ("/search?q=Manbij", "ui-phone-search"), ("/map", "ui-phone-map")):
        page.goto(site["base"] + path)
        if path == "/map":
            page.wait_for_selector("#map path.event-marker")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        _shot(page, name)
    w.close()


CONTRAST = """(sel) => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const el = document.querySelector(sel);
  let bg = null, n = el;
  while (n && n.nodeType === 1) { const c = parse(getComputedStyle(n).backgroundColor); if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c; break; } n = n.parentElement; }
  bg = bg || [255, 255, 255];
  const a = lum(parse(getComputedStyle(el).color)), b = lum(bg.slice(0, 3));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("where", ["dossier", "ui"])
def test_accessibility_basics(browser, site, where):
    w = Watch(browser, DESKTOP, site["dossier"])
    page = w.page
    page.goto(site["dossier"].as_uri() if where == "dossier" else site["base"] + "/search?q=Manbij")
    for role in ("banner", "navigation", "main", "contentinfo"):
        assert page.get_by_role(role).count() >= 1, role
    # every form field has a label
    unlabeled = page.evaluate("""Array.from(document.querySelectorAll('input, select, textarea'))
        .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).length""")
    assert unlabeled == 0
    if where == "ui":
        assert page.locator("input, select").count() >= 6
    # keyboard: the first Tab reaches the skip link, visibly focused; Enter moves to the content
    page.keyboard.press("Tab")
    focused = page.evaluate("""(() => { const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
        return {cls: e.className, outline: s.outlineStyle, width: parseFloat(s.outlineWidth), left: r.left, top: r.top}; })()""")
    assert focused["cls"] == "skip" and focused["left"] >= 0 and focused["top"] >= 0
    assert focused["outline"] != "none" and focused["width"] >= 2
    _shot(page, f"{where}-skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "INPUT", "SUMMARY", "BUTTON", "SELECT")
    # contrast of body text, secondary text and links (WCAG AA: 4.5:1)
    for sel in ("main p", ".meta", "main a", ".contradiction" if where == "dossier" else "form.search button"):
        assert page.evaluate(CONTRAST, sel) >= 4.5, sel
    assert w.blocked == []
    w.close()
