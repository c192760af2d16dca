"""The stratlens web app: an accessible, bilingual explorer of council strategies.

`create_app(WebSettings)` builds the app; `serve()` runs it with uvicorn (`stratlens serve`).
"""

from __future__ import annotations

from stratlens.web.settings import WebSettings

__all__ = ["WebSettings", "create_app", "serve"]


def create_app(settings: WebSettings):  # noqa: ANN201 - FastAPI, imported lazily
    from stratlens.web.app import create_app as factory

    return factory(settings)


def serve(settings: WebSettings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app until interrupted."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False)
