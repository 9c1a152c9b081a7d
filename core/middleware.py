"""Language selection: Chinese by default, English by choice.

Pages follow the language switch (a cookie) and otherwise speak simplified Chinese, whatever
the browser's Accept-Language says. The API answers in the request's language
(``Accept-Language: zh-hans`` or ``en``), as API_CONTRACT.md requires.
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
