"""Language selection: Chinese by default, English by choice.

Pages follow the language switch (a cookie) and otherwise speak simplified Chinese, whatever
the browser's Accept-Language says. The API answers in the request's language
(``Accept-Language: zh-hans`` or ``en``), as docs/api.md requires.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = cookie if cookie and translation.check_for_language(cookie) else settings.LANGUAGE_CODE
            language = translation.get_supported_language_variant(language)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


#: Everything the portal loads is its own (the intranet is offline: no CDN). Scripts come only from the
#: portal's static files (``static/js/portal.js``, ``static/js/charts.js`` and the vendored libraries):
#: no page carries an inline script or handler. ``style`` attributes are still used by templates and by
#: the chart library, so styles keep ``'unsafe-inline'``.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: a Content-Security-Policy for pages (a response
    that already carries one, such as a protected file download, keeps its own) and a Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
