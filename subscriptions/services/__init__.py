"""Domain rules of subscriptions, one module per sub-domain:

- ``subscribers``: subscribe (double opt-in), confirm, change preferences, unsubscribe,
  expire unconfirmed subscriptions
- ``mailings``: propose a mailing when a page is published, the editor's decision, send
  it exactly once, the monthly overview, counting deliveries and clicks
- ``personal_data``: find and erase what we hold about an address
- ``common``: the domain exception, personal links, the public form's rate limit
"""

import datetime as dt

from subscriptions.services.common import (
    SubscriptionError,
    click_url,
    confirm_url,
    manage_url,
    unsubscribe_url,
)
from subscriptions.services.mailings import (
    TOKEN_PLACEHOLDER,
    click_target,
    count_click,
    count_delivery,
    decide,
    direct_context,
    forget_claims,
    matching,
    parse_tag,
    propose_mailing,
    recipient_counts,
    render_digest,
    render_direct,
    send_due_digests,
    send_mailing,
    send_pending_mailings,
)
from subscriptions.services.subscribers import (
    confirm,
    expire_unconfirmed,
    pending_by_token,
    subscribe,
    unsubscribe,
    update_preferences,
)


def run_scheduled(*, now: dt.datetime) -> dict[str, int]:
    """The app's periodic work (hook ``cter_scheduled_jobs``): finish mailings still
    sending, the monthly overview when it is due, and the clean-up of unconfirmed
    subscriptions and old claims."""
    return {
        "mailed": send_pending_mailings(now=now),
        "digests": send_due_digests(now=now),
        "expired": expire_unconfirmed(now=now),
        "claims": forget_claims(now=now),
    }


__all__ = [
    "TOKEN_PLACEHOLDER",
    "SubscriptionError",
    "click_target",
    "click_url",
    "confirm",
    "confirm_url",
    "count_click",
    "count_delivery",
    "decide",
    "direct_context",
    "expire_unconfirmed",
    "forget_claims",
    "manage_url",
    "matching",
    "parse_tag",
    "pending_by_token",
    "propose_mailing",
    "recipient_counts",
    "render_digest",
    "render_direct",
    "run_scheduled",
    "send_due_digests",
    "send_mailing",
    "send_pending_mailings",
    "subscribe",
    "unsubscribe",
    "unsubscribe_url",
    "update_preferences",
]
