"""A SparkSession for veille, and the Java it needs.

Why here and not in the job: the tests, the benchmark, the loader and the job all need the
same session settings (worker Python = this interpreter, quiet logs, a Java home found
from ``java`` on the PATH when ``JAVA_HOME`` is unset).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Mapping

# Small defaults that suit a laptop; a cluster's spark-submit --conf overrides them.
DEFAULTS: dict[str, str] = {
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.python.worker.reuse": "true",  # keeps the per-process model cache alive across tasks
    # A Python worker holding the spaCy models is ~425 MiB RSS before it aggregates anything; PySpark
    # spills a groupBy to disk once the worker's RSS passes this (default 512m), i.e. at once.
    "spark.python.worker.memory": "2g",
    "spark.sql.parquet.compression.codec": "zstd",
}


def java_home() -> Path | None:
    """JAVA_HOME, else the JDK behind ``java`` on the PATH (resolving Debian's alternatives)."""
    env = os.environ.get("JAVA_HOME")
    if env and (Path(env) / "bin" / "java").exists():
        return Path(env)
    java = shutil.which("java")
    if not java:
        return None
    return Path(os.path.realpath(java)).parent.parent


def java_available() -> bool:
    return java_home() is not None


def get_session(master: str | None = None, conf: Mapping[str, str] | None = None, app: str = "veille"):
    """Create (or reuse) the session. ``master=None`` keeps a spark-submit master, else local[*]."""
    home = java_home()
    if home is None:
        raise RuntimeError("Spark needs Java 17 (install openjdk-17-jre-headless, or set JAVA_HOME)")
    os.environ.setdefault("JAVA_HOME", str(home))
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    submitted = SparkConf()
    if not master and not submitted.contains("spark.master"):
        master = "local[*]"
    if (master or submitted.get("spark.master", "")).startswith("local"):
        # Local workers must run this interpreter (the one veille is installed in), not `python3` on
        # the PATH; on a cluster the nodes' own Python (spark.pyspark.python) is left alone.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    for key, value in {**DEFAULTS, **(conf or {})}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("VEILLE_SPARK_LOG", "ERROR"))
    return spark
