"""Platform settings, read from the environment (prefix ``DIGITRADE_``) and ``.env``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./var/digitrade.sqlite3"
DEMO_SECRET_KEY = "change-me-in-production-this-is-only-for-local-demo"  # noqa: S105 - a published demo value that `serve` refuses off loopback
DEMO_KEY_ENCRYPTION_KEY = "change-me-too-local-demo-key-encryption-key"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Every setting the platform reads; documented in docs/configuration.md."""

    model_config = SettingsConfigDict(
        env_prefix="DIGITRADE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL. sqlite:///path (default) or postgresql+psycopg://...",
    )
    database_echo: bool = Field(default=False, description="Log every SQL statement.")
    host: str = Field(default="127.0.0.1", description="Address `digitrade serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `digitrade serve` binds.")
    workers: int = Field(default=1, ge=1, le=64, description="uvicorn worker processes.")
    secret_key: SecretStr = Field(
        default=SecretStr(DEMO_SECRET_KEY),
        description="Signs session cookies. Set a long random value in production.",
    )
    key_encryption_key: SecretStr = Field(
        default=SecretStr(DEMO_KEY_ENCRYPTION_KEY),
        description="Encrypts private signing keys at rest.",
    )
    session_max_age_seconds: int = Field(default=8 * 3600, ge=60)
    cookie_secure: bool = Field(
        default=False, description="Mark cookies Secure (set true behind HTTPS)."
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="Failed logins allowed per window per client and user."
    )
    login_window_seconds: int = Field(default=300, ge=1)
    api_key_default_days: int = Field(default=90, ge=1, le=3650)
    ledger_origin_prefix: str = Field(
        default="digitrade.local/ledger",
        description="Checkpoint origin of each log is '<prefix>/<log name>'. Use your own host.",
    )
    ledger_integrate_interval_seconds: float = Field(
        default=1.0, ge=0, description="How often the server integrates new entries (0: off)."
    )
    ledger_checkpoint_interval_seconds: float = Field(
        default=60.0, ge=0, description="How often the server signs a new checkpoint (0: off)."
    )
    witness_name: str = Field(
        default="digitrade.local/witness",
        description="Key name this instance cosigns checkpoints with when it acts as a witness.",
    )
    default_language: Literal["en", "zh-Hans"] = "en"
    log_level: LogLevel = Field(default="INFO", description="DEBUG, INFO, WARNING, ERROR, CRITICAL")
    log_json: bool = Field(default=True, description="JSON log lines (false: plain text).")
    data_dir: Path = Field(
        default=Path("var"),
        description="Where the platform keeps files beside its database (installed rule packs).",
    )
    public_host: str = Field(
        default="digitrade.local",
        pattern=r"^[A-Za-z0-9.-]+(%3A[0-9]+)?$",
        description="Host name the platform is reached at: issuers' did:web identifiers and the "
        "links printed in QR codes.",
    )
    ebl_platform_code: str = Field(
        default="DGTR",
        pattern=r"^[A-Z0-9]{2,4}$",
        description="This platform's eBL platform code in DCSA PINT transfers (at most 4 "
        "characters, as PINT's eblPlatform).",
    )
    onerecord_base_url: str = Field(
        default="",
        pattern=r"^(https?://[^\s?#]+)?$",
        description="The ONE Record API root as other servers reach it; object IRIs are minted "
        "under it (default: http://HOST:PORT/onerecord). Keep it stable: IRIs are stored.",
    )
    onerecord_api_version: Literal["2.0.0", "2.2.0"] = Field(
        default="2.2.0",
        description="ONE Record API served: 2.2.0 with cargo ontology 3.2, or 2.0.0 with 3.0.0.",
    )
    onerecord_validation: Literal["strict", "lenient"] = Field(
        default="strict",
        description="strict: refuse (400) classes and properties outside the cargo ontology and "
        "values of the wrong kind; lenient: keep them as sent (data written for older "
        "ontologies).",
    )
    onerecord_data_holder: str = Field(
        default="",
        description="Slug of the organisation named as the ONE Record server's data holder "
        "(default: the oldest organisation).",
    )
    onerecord_public_tracking: bool = Field(
        default=True,
        description="Anyone may track an air waybill at /aircargo/track: its Cargo iQ milestones "
        "and route only, as airlines' tracking pages show them (false: signed-in users only).",
    )
    onerecord_delivery_interval_seconds: float = Field(
        default=2.0, ge=0, description="How often notifications are sent (0: never in serve)."
    )
    onerecord_retry_base_seconds: float = Field(
        default=2.0, gt=0, description="First retry delay of a failed notification; doubles."
    )
    onerecord_private_endpoints: bool = Field(
        default=False,
        description="Deliver notifications to subscribers on loopback, private and link-local "
        "addresses (off: a subscriber cannot make the server call into its own network).",
    )
    onerecord_max_attempts: int = Field(
        default=8, ge=1, le=100, description="Attempts before a notification is dead-lettered."
    )
    ecommerce_receipt_delivery_interval_seconds: float = Field(
        default=2.0,
        ge=0,
        description="How often new CEB receipts are sent to the organisations' receipt "
        "endpoints (0: never in serve).",
    )
    ecommerce_receipt_retry_base_seconds: float = Field(
        default=5.0, gt=0, description="First retry delay of a failed receipt delivery; doubles."
    )
    ecommerce_receipt_private_endpoints: bool = Field(
        default=False,
        description="Allow receipt endpoints on loopback, private and link-local addresses "
        "(off: an organisation cannot make the server call into its own network).",
    )
    fixtures_dir: Path = Field(
        default=Path("../shared/fixtures"),
        description="Official test material used by tests and by the demo when present.",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _psycopg_driver(cls, value: str) -> str:
        # "postgresql://" names SQLAlchemy's default driver (psycopg2); we ship psycopg 3.
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    def demo_secrets_in_use(self) -> list[str]:
        """Settings still at their published demo values (fine on a laptop, never in service)."""
        found = []
        if self.secret_key.get_secret_value() == DEMO_SECRET_KEY:
            found.append("DIGITRADE_SECRET_KEY")
        if self.key_encryption_key.get_secret_value() == DEMO_KEY_ENCRYPTION_KEY:
            found.append("DIGITRADE_KEY_ENCRYPTION_KEY")
        return found


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings`` instead)."""
    return Settings()
