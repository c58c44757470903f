from veille.extract.dates import parse_date_line
from veille.urls import canonical_url, date_from_url


def test_canonical_url_drops_tracking():
    assert canonical_url("https://sana.sy/fr/?p=141235&fbclid=IwAR2rG") == "https://sana.sy/fr/?p=141235"
    assert canonical_url("HTTPS://WWW.Example.com:443/a?utm_source=x&id=3#frag") == "https://www.example.com/a?id=3"
    assert canonical_url("https://french.almanar.com.lb/1208473#!") == "https://french.almanar.com.lb/1208473"


def test_dates_in_urls():
    assert date_from_url("https://fr.sputniknews.com/international/201901161039655248-syrie-manbij-explosion/") == ("2019-01-16", "day")
    assert date_from_url("https://www.presstv.com/DetailFr/2019/01/15/585899/x") == ("2019-01-15", "day")
    assert date_from_url("https://french.almanar.com.lb/1211465") is None


def test_date_lines_of_the_sample():
    assert parse_date_line("Tue Jan 15, 2019 5:47PM") == ("2019-01-15T17:47", "minute")
    assert parse_date_line("Thu Jan 10, 2019 6:8PM") == ("2019-01-10T18:08", "minute")
    assert parse_date_line("Wed Jan 9, 2019 10:23AM") == ("2019-01-09T10:23", "minute")
    assert parse_date_line("15/01/2019") == ("2019-01-15", "day")
    assert parse_date_line(" Depuis 5 heures  13 janvier 2019") == ("2019-01-13", "day")
    assert parse_date_line("mardi 8 janvier 2019 à 14h30") == ("2019-01-08T14:30", "minute")
    assert parse_date_line("Le 8 janvier, il a été signalé que la police militaire russe commençait") is None
