"""Settings profiles: ``base`` (embedded defaults, env-driven), ``test`` and ``production``."""
