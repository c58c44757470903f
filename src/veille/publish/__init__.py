"""publish: the dossier, the exports and the web UI — all read from the store."""
