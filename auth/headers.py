"""Security headers on every answer: what the browser may load, frame and remember."""

from flask import Flask, Response, g, request

# Everything the pages use is served from static/: no inline script or style, no other origin.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
))
HSTS_SECONDS = 365 * 24 * 3600


def set_security_headers(response: Response) -> Response:
    """After each request: CSP and friends; no caching of anything a signed-in person sees."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        # Only over TLS: a plain-http answer claiming HSTS would be ignored, or lock a
        # development host out of http.
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_SECONDS}")
    user = g.get("_login_user")  # as loaded for this request: never a database read here
    if user is not None and user.is_authenticated and request.endpoint != "static":
        # Private pages stay out of shared caches and the back-button cache of a shared computer.
        headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    """Install the headers on every response, error pages included."""
    app.after_request(set_security_headers)
