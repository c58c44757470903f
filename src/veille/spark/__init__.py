"""spark: the same stages on Apache Spark (cc-pyspark style).

The Spark job is a thin shell. Its per-record functions are the ones the CLI runs —
``pipeline.iter_raw`` + ``pipeline.extract_raw`` for acquisition and extraction,
``enrich.analyze_article`` for enrichment, ``link.dedup`` (signatures, ``BandIndex.earliest_copy``,
``find_republications``) for republication marks, ``publish.export`` for the exports — so a
corpus of millions of articles gets exactly the records ``veille run`` gives on a handful.
What Spark adds is only what a single process cannot do: partitioning the inputs, a
per-worker model cache, and a story stage whose shuffles are blocked (MinHash LSH bands ×
week) instead of all-pairs.

Modules: ``session`` (SparkSession + Java discovery), ``units`` (inputs → work units),
``worker`` (per-partition functions, per-process cache), ``republish`` (republication marks,
LSH-band blocked), ``stories`` (LSH blocking and
connected components), ``outputs`` (Parquet + the `veille run` exports), ``load``
(Parquet → SQLite store for the UI), ``job`` (the entry point).
"""
