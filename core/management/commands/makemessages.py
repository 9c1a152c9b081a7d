"""``makemessages`` that never guesses: new strings stay untranslated instead of being marked fuzzy
with a neighbour's translation (a fuzzy guess shown to officials would be worse than English)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
