"""`stratlens serve` and `stratlens analyst ...`, kept here so that cli.py only wires them in."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Optional

import typer

analyst_app = typer.Typer(no_args_is_help=True, help="Manage the analysts who may upload in the web app.")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite store (default: $STRATLENS_DB or ./stratlens.db)."),
    demo: bool = typer.Option(False, "--demo", help="Serve the example corpus (ingested into stratlens-demo/ first if needed)."),
) -> None:
    """Start the web app: an accessible, bilingual explorer of the store (reading is public)."""
    from stratlens.web import WebSettings, serve as run

    if demo:
        db = _demo_store(db)
    settings = WebSettings.from_env(db)
    typer.echo(f"stratlens web app on http://{host}:{port}/ (store: {settings.db})")
    run(settings, host=host, port=port)


def _demo_store(db: Optional[Path]) -> Path:
    """The example corpus's store, built once with `stratlens demo` when it is missing."""
    target = db or Path("stratlens-demo") / "stratlens.db"
    if not target.exists():
        from stratlens.pipeline import ingest_paths
        from stratlens.store import Store

        corpus = Path(__file__).resolve().parent.parent / "examples" / "corpus"
        if not corpus.exists():
            raise typer.BadParameter(f"no example corpus at {corpus}")
        with Store(target) as store:
            ingest_paths(store, [corpus])
    return target


@analyst_app.command("add")
def analyst_add(
    username: str = typer.Argument(..., help="The analyst's user name."),
    db: Optional[Path] = typer.Option(None, "--db", help="Store whose analysts file to change."),
) -> None:
    """Add an analyst (or change their password), asking for the password twice.

    The password may also come from $STRATLENS_NEW_PASSWORD, for scripts.
    """
    from stratlens.web.security import Analysts
    from stratlens.web.settings import WebSettings

    password = os.environ.get("STRATLENS_NEW_PASSWORD")
    if not password:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password again: "):
            raise typer.BadParameter("the passwords differ")
    if len(password) < 10:
        raise typer.BadParameter("use a password of at least 10 characters")
    settings = WebSettings.from_env(db)
    Analysts(None, None, settings.analysts_file).add(username, password)
    typer.echo(f"analyst {username} saved in {settings.analysts_file}")


@analyst_app.command("hash")
def analyst_hash() -> None:
    """Print a password hash for STRATLENS_ANALYST_PASSWORD_HASH (the password is read from stdin)."""
    from stratlens.web.security import hash_password

    password = os.environ.get("STRATLENS_NEW_PASSWORD") or getpass.getpass("Password: ")
    typer.echo(hash_password(password))
