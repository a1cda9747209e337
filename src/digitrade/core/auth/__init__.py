"""Identity and access: organisations, users, roles, API keys and the ``Principal``."""
