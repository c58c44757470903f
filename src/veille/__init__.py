"""veille: from press reviews, pages, feeds and crawls to a cross-checked dossier."""

__version__ = "0.1.0"
