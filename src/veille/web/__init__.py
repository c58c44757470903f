"""web: the read-only local web UI (``veille serve``) and its JSON API."""
