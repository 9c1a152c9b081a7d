"""API keys for tests: the portal keeps only the digests of its tokens, so a test issues a key rather than
reading one back."""

from accounts.tokens import issue_token


def api_key(user, client="tests"):
    """A fresh API key for ``user``, for the client ``client`` (one live token per client)."""
    _token, key = issue_token(user, name=client)
    return key
