"""Standing watches: what an analyst follows (a TOML file), polled as a service, reviewed daily,
with alerts. ``spec`` reads the files, ``query`` the keyword language, ``select`` which articles
a watch keeps, ``state`` its tables in the store, ``service`` the polling loop, ``alerts`` the
rules and ``deliver`` the persistent outbox (Atom, webhook, e-mail, terminal)."""

from .spec import WatchError, WatchSpec, load_watch, parse_watch

__all__ = ["WatchError", "WatchSpec", "load_watch", "parse_watch"]
