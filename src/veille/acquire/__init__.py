"""acquire: inputs (paths, URLs, …) → raw captures (``RawDoc``)."""
