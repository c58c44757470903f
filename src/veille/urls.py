"""URL canonicalisation and the facts a URL gives away (domain, publication date)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track the reader; removing them never changes the page.
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl|"
    r"ref_src|ref_url|cmpid|xtor|at_medium|at_campaign|ocid|wt\.mc_id|spm|share)$",
    re.I,
)

URL_LINE = re.compile(r"^\s*(https?://\S+)\s*$")


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop tracking parameters, fragments and default ports.

    The fragment is dropped too: ``#!`` and anchors never name a different article.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and not ((parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)):
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query, doseq=True), ""))


def domain(url: str) -> str:
    if "://" not in url:  # a bare domain or host/path
        url = "http://" + url
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def domain_candidates(url: str) -> list[str]:
    """``fr.sputniknews.com`` → [fr.sputniknews.com, sputniknews.com] (most specific first)."""
    host = domain(url)
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


_URL_DATES = (
    # /2019/01/15/ or /2019-01-15/
    (re.compile(r"/(20\d\d|19\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|-|_|\b)"), "day"),
    # Sputnik-style /201901161039655248-  (yyyymmdd followed by an id)
    (re.compile(r"/(20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{6,}"), "day"),
    (re.compile(r"/(20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|-|_|\.)"), "day"),
    (re.compile(r"/(20\d\d|19\d\d)/(0[1-9]|1[0-2])/"), "month"),
)


def date_from_url(url: str) -> tuple[str, str] | None:
    """The date a URL's path encodes, as (ISO date, precision), or None."""
    path = urlsplit(url).path
    for pattern, precision in _URL_DATES:
        m = pattern.search(path)
        if m:
            if precision == "month":
                return f"{m.group(1)}-{m.group(2)}", "month"
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}", "day"
    return None
