"""link: near-duplicates, stories, story-level events and contradictions.

``link_store`` rebuilds the derived story layer from what the store holds.
"""

from __future__ import annotations

from ..settings import Settings


def link_store(store, settings: Settings) -> None:
    """Derive stories and contradictions from the analysed articles (filled in by the linking stage)."""
    return None
