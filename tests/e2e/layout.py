"""Checks a page in the browser: axe-core's accessibility rules and the document's width."""

from pathlib import Path

AXE_VERSION = "4.14.1"  # tests/e2e/vendor/README.md says where it comes from
AXE_SCRIPT = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
assert AXE_SCRIPT.startswith(f"/*! axe v{AXE_VERSION}"), "vendored axe-core is not the pinned one"
PHONE = {"width": 390, "height": 844}
BLOCKING = ("serious", "critical")
COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # what a colour scheme can change

# axe runs every WCAG A/AA rule and its best practices; only the blocking impacts fail a test.
RUN_AXE = """async ([blocking, rules]) => {
  const only = rules ? {runOnly: {type: "rule", values: rules}} : {};
  const result = await axe.run(document, {resultTypes: ["violations"], ...only});
  return result.violations.filter(v => blocking.includes(v.impact)).map(v =>
    `${v.impact} ${v.id}: ${v.help} at ` +
    v.nodes.slice(0, 3).map(n => n.target.join(" ") +
      (n.any[0] && n.any[0].message ? ` (${n.any[0].message})` : "")).join("; ") +
    (v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ""));
}"""


def axe_violations(page, rules: list[str] | None = None) -> list[str]:
    """The page's serious and critical axe-core violations, one line each (axe must be loaded);
    only those of the named rules if given."""
    return page.evaluate(RUN_AXE, [list(BLOCKING), rules])


def overflow(page) -> int | None:
    """The document's width when it is wider than the viewport (it scrolls sideways), else None."""
    width, viewport = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    return width if width > viewport else None
