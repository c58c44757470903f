"""The outbox: each alert to each of its watch's channels, until the channel says it has it.

Channels: ``atom`` (the watch's feed file, rewritten atomically), ``terminal`` (a line on the
service's output), ``webhook`` (JSON POST signed with HMAC-SHA256 in ``X-Veille-Signature:
sha256=<hex>``, the alert id in ``X-Veille-Delivery`` so a receiver can drop a repeat) and
``email`` (through the SMTP server the watch names; ``Message-ID`` from the alert id).

Why an outbox in the store: an endpoint that is down for a day must get every alert when it
comes back, in order, and a kill -9 between "sent" and "marked" must at worst send once more
(the receiver dedups by id), never lose one. Failures back off 30 s, 1 min, 2 min… capped at
an hour, and never give up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Callable

from ..store import Store
from .spec import WatchSpec
from .state import WatchState

BACKOFF_FIRST = 30.0
BACKOFF_CAP = 3600.0


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> float:
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _secret(spec: WatchSpec) -> str | None:
    d = spec.delivery
    if d.webhook_secret_env:
        return os.environ.get(d.webhook_secret_env) or None
    return d.webhook_secret


def terminal_line(alert: dict[str, Any]) -> str:
    bits = [f"[{alert.get('watch')}] {alert.get('title')}"]
    if alert.get("url"):
        bits.append(str(alert["url"]))
    return " — ".join(bits)


def send_webhook(spec: WatchSpec, alert: dict[str, Any], timeout: float = 10.0) -> None:
    import httpx

    body = json.dumps(alert, ensure_ascii=False, sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": "veille-alerts/0.1", "X-Veille-Delivery": alert["id"],
               "X-Veille-Event": alert.get("kind", "alert")}
    secret = _secret(spec)
    if secret:
        headers["X-Veille-Signature"] = signature(secret, body)
    try:
        r = httpx.post(spec.delivery.webhook_url, content=body, headers=headers, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise OSError(f"webhook {spec.delivery.webhook_url}: {type(exc).__name__}: {str(exc)[:120] or 'no answer'}") from None
    if not 200 <= r.status_code < 300:
        raise OSError(f"webhook {spec.delivery.webhook_url}: answered {r.status_code}")


def send_email(spec: WatchSpec, alert: dict[str, Any], timeout: float = 20.0) -> None:
    d = spec.delivery
    msg = EmailMessage()
    msg["Subject"] = f"[veille · {spec.name}] {alert.get('title', '')}"[:250]
    msg["From"] = d.email_from or "veille@localhost"
    msg["To"] = ", ".join(d.email_to)
    msg["Message-ID"] = f"<{alert['id']}.{spec.name}@veille>"
    lines = [alert.get("title", ""), ""]
    for key in ("figure", "speaker"):
        if alert.get(key):
            lines.append(f"{key}: {alert[key]}")
    if alert.get("text"):
        lines += ["", f"« {alert['text']} »"]
    for key in ("url", "link"):
        if alert.get(key):
            lines.append(f"{key}: {alert[key]}")
    msg.set_content("\n".join(lines))
    try:
        with smtplib.SMTP(d.email_host, d.email_port, timeout=timeout) as smtp:
            if d.email_starttls:
                smtp.starttls()
            if d.email_user and d.email_password_env:
                smtp.login(d.email_user, os.environ.get(d.email_password_env, ""))
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise OSError(f"e-mail via {d.email_host}:{d.email_port}: {type(exc).__name__}: {str(exc)[:120]}") from None


def deliver_due(store: Store, specs: dict[str, WatchSpec], now: datetime, echo: Callable[[str], None] | None = None,
                feed_writer: Callable[[WatchSpec], Any] | None = None) -> DeliveryReport:
    """Try every delivery that is due; a failure is counted and re-scheduled, never dropped."""
    state = WatchState(store)
    iso = now.replace(microsecond=0).isoformat()
    report = DeliveryReport()
    feeds_written: set[str] = set()
    for d in state.due(iso):
        alert = state.get_alert(d.alert_id)
        spec = specs.get(alert["watch"]) if alert else None
        if alert is None or spec is None:
            continue  # the watch was removed or is not run by this service
        try:
            if d.channel == "atom":
                if spec.name not in feeds_written and feed_writer is not None:
                    feed_writer(spec)
                    feeds_written.add(spec.name)
            elif d.channel == "terminal":
                (echo or print)(terminal_line(alert))
            elif d.channel == "webhook":
                send_webhook(spec, alert)
            elif d.channel == "email":
                send_email(spec, alert)
        except Exception as exc:  # any failure of a channel: retried later, the service goes on
            reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
            with store.transaction():
                attempts = state.delivery_failed(d.alert_id, d.channel, reason,
                                                 (now + timedelta(seconds=backoff(d.attempts + 1))).replace(microsecond=0).isoformat())
            report.failed += 1
            report.errors.append(f"alert {d.alert_id} → {d.channel}: {reason} (try {attempts}; retrying)")
            continue
        with store.transaction():
            state.delivered(d.alert_id, d.channel, iso)
        report.delivered += 1
    return report
