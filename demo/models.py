from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SeededAccount(models.Model):
    """An account ``seed_demo`` created, and the demo log-in it plays (``key``: ``admin``, ``district``,
    ``unit_310117001``…). The seed updates, and resets the password of, only the accounts recorded here;
    an account it finds under a demo user name without this record belongs to someone else and is left
    as it is (demo/seed/accounts.py).

    No database constraint on ``user``: the table stays when the demo is later switched off, and a
    constraint would then stop the product from deleting a seeded account (without the demo app installed,
    Django no longer knows to delete this row with it). PostgreSQL never reuses an id, so a row left behind
    cannot come to stand for another account."""

    key = models.CharField(_("demo log-in"), max_length=150, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("account created by the demo seed")
        verbose_name_plural = _("accounts created by the demo seed")

    def __str__(self):
        return self.key
