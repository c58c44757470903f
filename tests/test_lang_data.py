"""spaCy's stop-word lists read without importing the language package (issue 17: an English
corpus must not pay the French tokenizer's start-up in every worker)."""

import subprocess
import sys

from conftest import child_env


def test_stop_words_equal_spacys_and_leave_the_french_package_unimported():
    code = (
        "import sys\n"
        "from veille.lang import spacy_stop_words\n"
        "fr = spacy_stop_words('fr'); en = spacy_stop_words('en')\n"
        "assert 'spacy.lang.fr' not in sys.modules, 'French package imported'\n"
        "assert {'le', 'la', 'des'} <= fr and {'the', 'of'} <= en and 'manbij' not in fr\n"
        "from spacy.lang.fr.stop_words import STOP_WORDS\n"
        "assert fr == frozenset(STOP_WORDS)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=child_env(), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
