"""Settings for seeding the throwaway database, and only that: ``fault_settings`` with PBKDF2 at 1,000
iterations. The demo users' hashes are still ``pbkdf2_sha256`` hashes, which the production hasher of the
web verifies (and upgrades to its own iteration count at the first log-in); hashing the 35 demo passwords
at production strength would add 15 to 40 seconds to every run of the fault tests."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from .fault_settings import *  # noqa: F403


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000


PASSWORD_HASHERS = ["tests.robustness.seed_settings.QuickPBKDF2PasswordHasher"]
