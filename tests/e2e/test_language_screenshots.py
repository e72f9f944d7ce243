"""Screenshots at 360 px of the main pages in each interface language, saved in the screenshot
folder (CARNETS_SCREENSHOTS) as "360-<language>-<page>.png": no page scrolls sideways on a phone,
whatever the length of its words, and Khmer and Arabic are drawn with real fonts, not boxes.

Carnets uses no web font (DESIGN: the phone's own fonts), so the machine that runs the browser
needs fonts for these scripts: Debian's fonts-khmeros and fonts-noto-core (.ci/run installs them).
"""
import subprocess
import unicodedata

import pytest
from playwright.sync_api import expect

from core.config import LANGUAGES
from tests.e2e.languages import new_context
from tests.e2e.test_screenshots import OVERFLOWING, PHONE, png_size

SCRIPTS = {"km": "Khmer", "ar": "Arabic"}
FONT_PACKAGES = "fonts-khmeros fonts-noto-core"
# (file name, path); "{question}" is a French question of the demo, "{article}" a published
# article. The ask page is shot signed in, after the others.
ANONYMOUS = [
    ("home", "/"),
    ("question", "/questions/{question}"),
    ("search", "/search?q=confiance"),
    ("knowledge-base", "/kb"),
    ("article", "/kb/articles/{article}"),
    ("sign-in", "/auth/login"),
]
SIGNED_IN = [("ask", "/questions/ask")]


def font_families(language):
    """Families of the installed fonts that fontconfig says cover `language`."""
    try:
        listed = subprocess.run(["fc-list", f":lang={language}", "family"], check=True,
                                capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.fail(f"fc-list failed ({error}): is fontconfig installed?")
    return {name.strip() for line in listed.splitlines() for name in line.split(",")
            if name.strip()}


@pytest.fixture(scope="module")
def script_fonts():
    """{language: font families} for Khmer and Arabic; fails where a script has no font, as every
    page names these languages in its switcher and the Khmer pages are written in Khmer."""
    fonts = {language: font_families(language) for language in SCRIPTS}
    missing = [SCRIPTS[language] for language, found in fonts.items() if not found]
    assert not missing, (f"No {' or '.join(missing)} font is installed: the pages would show "
                         f"boxes. Install them: apt-get install {FONT_PACKAGES}")
    return fonts


def drawn_with(page, selector):
    """The fonts Chromium used to draw the text of the first element matching `selector`:
    {family: glyph count} (DevTools' "Rendered fonts")."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        document = cdp.send("DOM.getDocument", {"depth": 0})
        node = cdp.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"],
                                              "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def check_script_rendering(page, language, fonts):
    """The page's heading, written in `language`'s script, is drawn by fonts that cover it: at
    most its spaces and signs come from another font (a missing glyph would be a box drawn by the
    page's main font)."""
    heading = page.locator("main h1").first.inner_text()
    script = SCRIPTS[language]
    in_script = sum(unicodedata.name(char, "").startswith(script.upper()) for char in heading)
    assert in_script, f"the {language} heading {heading!r} holds no {script} letter"
    used = drawn_with(page, "main h1")
    covering = {family: count for family, count in used.items() if family in fonts[language]}
    others = sum(count for family, count in used.items() if family not in covering)
    assert covering, f"{heading!r} is drawn with {used}, none of which has {script} letters"
    assert others <= len(heading) - in_script, (
        f"{heading!r}: {others} glyphs drawn with fonts without {script} letters ({used})")


def sign_in(page, base, username):
    page.goto(base + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", "peer-password")
    page.locator("main form button").click()
    expect(page.locator("main form[action$='/auth/login']")).to_have_count(0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_phone_screenshots_in_every_language(browser, live_server, screenshot_dir, script_fonts,
                                             language):
    base = live_server.url
    ids = {"question": live_server.seed["french_question"],
           "article": live_server.seed["article"]}
    saved, overflows = [], []
    context = new_context(browser, width=PHONE, height=800, language=language,
                          device_scale_factor=1)
    try:
        page = context.new_page()
        page.set_default_timeout(20000)

        def visit(name, path):
            response = page.goto(base + path.format(**ids))
            assert response.status == 200, f"{path} answered {response.status}"
            expect(page.locator("html")).to_have_attribute("lang", language)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > PHONE:
                overflows.append(f"{name} ({page.url}): scrollWidth {scroll_width} px; "
                                 + ", ".join(page.evaluate(OVERFLOWING, PHONE)))
            path = screenshot_dir / f"{PHONE}-{language}-{name}.png"
            path.unlink(missing_ok=True)
            page.screenshot(path=str(path), full_page=True)
            saved.append(path)

        for name, path in ANONYMOUS:
            visit(name, path)
        sign_in(page, base, "peer01")
        for name, path in SIGNED_IN:
            visit(name, path)
        if language in SCRIPTS:
            check_script_rendering(page, language, script_fonts)  # the ask page
    finally:
        context.close()

    assert not overflows, (f"Pages in {language} that scroll sideways at {PHONE} px:\n"
                           + "\n".join(overflows))
    for path in saved:
        assert path.stat().st_size > 5000, f"{path.name} is only {path.stat().st_size} bytes"
        png_width, png_height = png_size(path)
        assert png_width == PHONE, f"{path.name} is {png_width} px wide, not {PHONE}"
        assert png_height >= 400, f"{path.name} is only {png_height} px high"
    assert len(saved) == len(ANONYMOUS) + len(SIGNED_IN)
