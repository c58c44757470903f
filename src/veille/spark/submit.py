"""Script entry for ``spark-submit`` (which runs a file, not a module, so no relative imports here).

    spark-submit --master yarn $(python -c 'import veille.spark.submit as s; print(s.__file__)') \\
        @warc.paths --out s3a://bucket/veille/2019-01
"""

import sys

from veille.spark.job import _cli

if __name__ == "__main__":
    sys.exit(_cli())
