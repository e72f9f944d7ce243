"""The stylesheet mirrors in right-to-left languages and uses the phone's own fonts (issue 13,
item 5; DESIGN §1 and §8): logical properties only, no web font, and font stacks that end in
a generic family, so that Arabic and Khmer text falls back to the system's fonts for them."""
import re
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT

STYLESHEETS = sorted(Path(PROJECT_ROOT, "core", "static").glob("*.css"))
# Properties whose value is top, right, bottom, left in that order: asymmetric when the
# second value differs from the fourth.
BOX_SHORTHANDS = {"margin", "padding", "inset", "border-width", "border-style", "border-color",
                  "scroll-margin", "scroll-padding"}
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "system-ui", "ui-sans-serif",
                    "ui-serif", "ui-monospace", "cursive", "fantasy", "math", "emoji",
                    "inherit", "initial", "unset", "revert"}


def declarations(css):
    """(property, value) of every declaration, comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for block in re.findall(r"\{([^{}]*)\}", css):
        for declaration in block.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                yield name.strip().lower(), value.strip().lower()


def physical(name, value):
    """Why a declaration would not mirror in a right-to-left page, or None."""
    if re.search(r"\b(left|right)\b", name):
        return "physical property"
    if name in {"text-align", "float", "clear", "caption-side"} and re.search(
            r"\b(left|right)\b", value):
        return "physical value"
    if name in {"background-position", "background-position-x", "transform-origin",
                "object-position"} and re.search(r"\b(left|right)\b", value):
        return "physical position"
    parts = value.replace("!important", "").split()
    if name in BOX_SHORTHANDS and len(parts) == 4 and parts[1] != parts[3]:
        return "asymmetric shorthand"
    if name == "border-radius" and len(set(value.split("/")[0].split())) > 1:
        return "corners differ"
    return None


def font_families(name, value):
    """The font family list a declaration sets, or None."""
    if name == "font-family":
        return value
    if name == "font":  # the family list is last, after the size (and line height)
        match = re.search(r"[\d.]+(?:%|r?em|px|pt)(?:/[\d.]+\w*)?\s+(.+)$", value)
        return match.group(1) if match else None
    return None


def test_the_checks_see_what_they_look_for():
    """Without this, a check that sees nothing would pass every stylesheet."""
    css = ("a{margin-left:1rem}b{text-align:right}c{padding:0 1rem 0 2rem}"
           "d{border-radius:.3rem 0}e{margin:0 1rem}f{left:0}g{float:inline-start}")
    found = {name: physical(name, value) for name, value in declarations(css)}
    assert found == {"margin-left": "physical property", "text-align": "physical value",
                     "padding": "asymmetric shorthand", "border-radius": "corners differ",
                     "margin": None, "left": "physical property", "float": None}
    assert font_families("font", '100%/1.5 system-ui,"noto sans khmer",sans-serif') == (
        'system-ui,"noto sans khmer",sans-serif')


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_the_layout_mirrors_in_right_to_left_languages(path):
    found = [f"{name}: {value} ({why})" for name, value in declarations(path.read_text())
             if (why := physical(name, value))]
    assert found == [], "use logical properties (margin-inline-start, inset-inline-end, " \
                        "text-align: start…):\n" + "\n".join(found)


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_text_uses_the_phones_own_fonts(path):
    css = path.read_text()
    assert "@font-face" not in css and "@import" not in css
    assert not re.search(r"url\(", css), "no downloaded resource, fonts included"
    stacks = [families for name, value in declarations(css)
              if (families := font_families(name, value))]
    assert stacks, "the checks found no font stack at all"
    for stack in stacks:
        last = stack.split(",")[-1].strip().strip("\"'")
        assert last in GENERIC_FAMILIES, (
            f"{stack}: end with a generic family, so that a script none of the named fonts "
            "covers (Arabic, Khmer) is drawn by the system's own font for it")
