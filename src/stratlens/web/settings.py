"""Settings of the web app, read once at start-up from flags and environment variables.

They live in one frozen object handed to the app factory, so that tests can build an app
against a temporary store and upload folder without touching the process environment.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from stratlens.config import db_path


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "") or default)
    except ValueError:
        return default


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class WebSettings:
    """Everything the app needs to know about its surroundings."""

    db: Path
    #: Uploaded files are written only here, under names the app generates.
    upload_dir: Path
    #: Signs session cookies. A random key (the default) logs everyone out on restart.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    #: One analyst from the environment (STRATLENS_ANALYST_USER / _PASSWORD_HASH) ...
    analyst_user: str | None = None
    analyst_password_hash: str | None = None
    #: ... and any number added with `stratlens analyst add` (a JSON file of user -> hash).
    analysts_file: Path | None = None
    max_upload_bytes: int = 20 * 1024 * 1024
    #: Uploads are classified against every framework (loads the encoders; tests may turn it off).
    classify_uploads: bool = True
    #: Send cookies only over HTTPS; on when the app runs behind TLS.
    secure_cookies: bool = False
    #: Raise on a Welsh string with no translation instead of logging it (tests turn it on).
    strict_i18n: bool = False

    @classmethod
    def from_env(cls, db: str | Path | None = None, **overrides: object) -> "WebSettings":
        """Settings from STRATLENS_* variables; keyword arguments win over the environment."""
        store = db_path(db)
        upload = Path(os.environ.get("STRATLENS_UPLOAD_DIR") or store.parent / "uploads")
        analysts = os.environ.get("STRATLENS_ANALYSTS_FILE")
        values: dict[str, object] = {
            "db": store,
            "upload_dir": upload,
            "analyst_user": os.environ.get("STRATLENS_ANALYST_USER") or None,
            "analyst_password_hash": os.environ.get("STRATLENS_ANALYST_PASSWORD_HASH") or None,
            "analysts_file": Path(analysts) if analysts else default_analysts_file(store),
            "max_upload_bytes": _env_int("STRATLENS_MAX_UPLOAD_MB", 20) * 1024 * 1024,
            "classify_uploads": _env_flag("STRATLENS_CLASSIFY_UPLOADS", True),
            "secure_cookies": _env_flag("STRATLENS_SECURE_COOKIES", False),
            "strict_i18n": _env_flag("STRATLENS_STRICT_I18N", False),
        }
        secret = os.environ.get("STRATLENS_SECRET_KEY")
        if secret:
            values["secret_key"] = secret
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


def default_analysts_file(db: Path) -> Path:
    """Analysts added with `stratlens analyst add` sit beside the store they may change."""
    return db.parent / "analysts.json"
