"""The pause before the n-th retry of an outgoing message (an e-mail, a group-robot post): 1, 2, 4 … minutes,
at most an hour."""

from datetime import timedelta

FIRST_RETRY_SECONDS = 60
LONGEST_RETRY_SECONDS = 60 * 60


def retry_pause(attempts):
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS))
