"""The durable e-mail outbox (``website.mail``): every e-mail the site sends is stored
here first and delivered by a background task, retried while the mail server is down."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxEmail(models.Model):
    """An e-mail waiting to be delivered; retried while the mail server is down. Once
    delivered only the envelope is kept (recipient, subject, times)."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("plain text"))
    html = models.TextField(_("HTML"), blank=True)
    ics = models.TextField(_("calendar attachment"), blank=True)
    # Extra message headers, e.g. List-Unsubscribe (RFC 8058); blanked with the body.
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # What the e-mail belongs to, for the sender's own bookkeeping (e.g. "mailing:12");
    # passed to the EMAIL_DELIVERED hook. Never personal.
    tag = models.CharField(_("tag"), max_length=100, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # A worker's lease (``website.mail.deliver``): it claimed the e-mail and is sending it,
    # with no lock held; after this moment another worker may take it over (the first one
    # died mid-send). Empty when nobody is sending it.
    claimed_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return self.subject
