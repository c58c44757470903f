"""veille: from press reviews, pages, feeds and crawls to a cross-checked dossier.

The Python API (``veille.run``, ``veille.open``, ``veille.frame`` …) lives in ``veille.api``
and is loaded on first use, so ``import veille`` stays light for the command line and the
Spark workers. See the user guide (docs/guide.md, "The Python API").
"""

__version__ = "0.1.0"

_API = ("run", "ingest", "analyze", "open", "Archive", "read", "frame", "Report", "KINDS")
__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'veille' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_API))
