"""What makes a message unique, and what a gateway's answer means for it.

One message per recipient, template, channel and document: the key below is enforced
by a unique index on the archive, so a re-run of a job or of a bulk send skips what
exists. A document is any record the message is about (a charge notice, a bulk send);
none is the empty reference.
"""

from collections import namedtuple

DedupKey = namedtuple("DedupKey", "partner_id template_id channel document")

# States of an archived message.
QUEUED, SENT, DELIVERED, FAILED = "queued", "sent", "delivered", "failed"


def document_ref(model=None, res_id=None):
    """ "site.charge.notice,7": the reference of the document a message is about."""
    return f"{model},{int(res_id)}" if model and res_id else ""


def dedup_key(partner_id, template_id, channel, document=""):
    return DedupKey(int(partner_id), int(template_id), channel, document or "")


def new_keys(wanted, existing):
    """The keys of ``wanted`` (in order, once each) that are not in ``existing``."""
    seen = set(existing)
    result = []
    for key in wanted:
        if key not in seen:
            seen.add(key)
            result.append(key)
    return result


class GatewayError(Exception):
    """A gateway refused or failed a request. ``transient`` errors (the network, the
    gateway's own failures, rate limits) are retried later; the others fail the messages
    with ``reason``."""

    def __init__(self, reason, transient=False, code=None, results=()):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.code = code
        # what the gateway did send before it failed, for a gateway of several requests
        self.results = list(results)
