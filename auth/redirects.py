"""Where a `next` parameter may send a browser: only back into this site."""

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str = "/") -> str:
    """Target when it is a local path, else default; rejects //host, /\\host and scheme:host."""
    if not target or len(target) > 2000:
        return default
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return default  # browsers treat "\" as "/" and strip tabs and newlines
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
