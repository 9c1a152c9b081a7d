"""Whether this installation carries demo data (``settings.PORTAL_DEMO``), and why ``seed_demo`` refuses
when it does not. Core knows only the switch: the demo itself is the ``demo`` app, which no product
module imports (HOUSE_STYLE habit 15)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def demo_enabled():
    """True where the demo is wanted (the embedded profile of ``make run``, the tests, ``PORTAL_DEMO=1``)."""
    return bool(getattr(settings, "PORTAL_DEMO", False))


def demo_off_message():
    """The refusal of ``seed_demo`` where the demo is off, in English and in Chinese whatever the locale
    (an operator reads it in a terminal)."""
    texts = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            texts.append(
                _(
                    "seed_demo refuses to run: the demo is off in these settings (PORTAL_DEMO is not set). "
                    "It would create demo accounts, an administrator among them, with the published password. "
                    "Set PORTAL_DEMO=1 only on a demonstration or test installation. Nothing was changed."
                )
            )
    return "\n".join(dict.fromkeys(texts))
