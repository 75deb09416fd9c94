"""Checks a page in the browser: axe-core's accessibility rules and the document's width."""

from pathlib import Path

AXE_VERSION = "4.14.1"  # tests/e2e/vendor/README.md says where it comes from
AXE_SCRIPT = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
assert AXE_SCRIPT.startswith(f"/*! axe v{AXE_VERSION}"), "vendored axe-core is not the pinned one"
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}
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


# The focused element's outline, and the first opaque background behind it.
FOCUS_RING = """el => {
  const style = getComputedStyle(el);
  let node = el.parentElement, behind = "rgb(255, 255, 255)";
  for (; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour.startsWith("rgb(")) { behind = colour; break; }
  }
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          colour: style.outlineColor, behind};
}"""


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two CSS colours written as rgb(r, g, b)."""

    def luminance(colour: str) -> float:
        channels = [int(part) / 255 for part in colour[colour.index("(") + 1:-1].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def focus_ring(page) -> tuple[float, float]:
    """The focused element's outline width (px) and its contrast with what lies behind it (0 if
    it has no outline)."""
    ring = page.evaluate(FOCUS_RING, page.evaluate_handle("document.activeElement"))
    if ring["style"] in ("none", "hidden"):
        return 0.0, 0.0
    return ring["width"], contrast(ring["colour"], ring["behind"])
