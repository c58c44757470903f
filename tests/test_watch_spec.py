"""Watch files: the documented example parses; every mistake is one line naming the file, the line and why;
the keyword language in French, English and Arabic."""

from __future__ import annotations

import pytest

from veille.watch.query import QueryError, parse_query
from veille.watch.spec import WatchError, load_watch, parse_watch

from conftest import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "watch-syrie.toml"


def test_the_example_parses():
    spec = load_watch(EXAMPLE)
    assert spec.name == "syrie" and spec.language == "fr" and spec.hour == "07:00"
    assert [s.kind for s in spec.sources] == ["files"] and spec.sources[0].location.endswith("examples/revue-syrie-2019-01.txt")
    assert spec.filters.countries == ("SY",) and "sputnik" in spec.filters.outlets
    assert {a.when for a in spec.alerts} == {"event", "contradiction", "story", "named"}
    assert spec.delivery.channels == ("atom", "terminal")


@pytest.mark.parametrize("text, line, reason", [
    ('name = "x"\n[review]\nlanguage = "de"\n', 3, "review language 'de' is not available"),
    ('name = "x"\n[review]\nhour = "25:00"\n', 3, "'hour' must be HH:MM"),
    ('name = "x"\n[sources]\nfeeds = ["ftp://a"]\nevery = "soon"\n', 4, "'soon' is not a duration"),
    ('name = "x"\n[filters]\nquery = "(Syrie OR"\n', 3, "query: the query ends where a word was expected"),
    ('name = "x"\n[filters]\ncountries = ["Syria"]\n', 3, "not an ISO 3166 two-letter code"),
    ('name = "x"\n[[alerts]]\nwhen = "event"\n[[alerts]]\nwhen = "sometimes"\n', 5, "alert 'when' must be one of"),
    ('name = "x"\n[[alerts]]\nwhen = "named"\n', 3, "a 'named' alert needs names"),
    ('name = "x"\n[sources]\nfeed = ["http://a/rss"]\n', 3, "unknown setting 'feed' in [sources]"),
    ('name = "x"\ntitle = "a\n', 2, "not valid TOML"),
    ('name = "a b"\n', 1, "'name' is required"),
])
def test_malformed_files_name_the_line(text, line, reason):
    with pytest.raises(WatchError) as exc:
        parse_watch(text, "w.toml")
    msg = str(exc.value)
    assert msg.startswith(f"w.toml:{line}: ") and reason in msg and "\n" not in msg


def test_cli_add_refuses_a_bad_file_in_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[review]\nlanguage = "de"\n', encoding="utf-8")
    r = run_cli("watch", "add", str(bad), "--db", str(tmp_path / "w.db"), cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() == f"error: {bad}:3: review language 'de' is not available (choose fr or en)"
    assert run_cli("watch", "add", str(EXAMPLE), "--db", str(tmp_path / "w.db"), cwd=tmp_path).returncode == 0
    r = run_cli("review", "nosuch", "--db", str(tmp_path / "w.db"), "--day", "2019-01-16", cwd=tmp_path)
    assert r.returncode == 2 and "no watch named 'nosuch'" in r.stderr and "Traceback" not in r.stderr


def test_cli_add_list_show_remove(tmp_path):
    db = str(tmp_path / "w.db")
    r = run_cli("watch", "add", str(EXAMPLE), "--db", db, cwd=tmp_path)
    assert r.returncode == 0 and "watch 'syrie' added" in r.stderr
    assert "syrie" in run_cli("watch", "list", "--db", db, cwd=tmp_path).stdout
    shown = run_cli("watch", "show", "syrie", "--db", db, cwd=tmp_path)
    assert '"language": "fr"' in shown.stdout and '"state"' in shown.stdout
    assert run_cli("watch", "remove", "syrie", "--db", db, cwd=tmp_path).returncode == 0
    assert run_cli("watch", "show", "syrie", "--db", db, cwd=tmp_path).returncode == 2


@pytest.mark.parametrize("query, text, expected", [
    ("(Syrie OR Syria OR سوريا) AND explosion", "Une EXPLOSION en Syrie", True),
    ("(Syrie OR Syria OR سوريا) AND explosion", "explosion in Syria", True),
    ("(Syrie OR Syria OR سوريا) AND انفجار", "وقع انفجار في سوريا", True),  # the word behind its clitic: في سوريا / بسوريا
    ("سوريا انفجار", "انفجار بسوريا", True),
    ("Syrie ET NON football", "football en Syrie", False),
    ("Syrie SAUF football", "football en Syrie", False),
    ("Syrie -football", "la Syrie", True),
    ('"patrouille américaine"', "une patrouille americaine à Manbij", True),
    ('"patrouille américaine"', "une patrouille de la coalition américaine", False),
    ("attentat*", "les attentats de Damas", True),
    ("Deir OU Idleb", "à Idleb", True),
    ("a OR b AND c", "a", True),  # AND binds tighter than OR
])
def test_query_language(query, text, expected):
    assert parse_query(query).matches(text) is expected


@pytest.mark.parametrize("query", ["(Syrie OR", "Syrie)", "AND", '""', "ab*"])
def test_bad_queries(query):
    with pytest.raises(QueryError):
        parse_query(query)
