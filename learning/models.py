"""Trainings, webinars, their sessions and registrations.

A session is edited inline on its training page. Wagtail's InlinePanel does not
nest, so a session holds its first daypart as plain fields (date, start, end)
and any further dayparts in a small StreamField. ``starts_at`` / ``ends_at`` are
denormalised (first start, last end) so listings can sort and filter in SQL.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from learning.names import organisation_key
from learning.panels import SessionsLinkPanel, SessionsPanel, SessionStatusPanel, WorkshopsPanel

# The durable outbox moved to website (website.mail); the names stay importable from here
# for code written before the move.
from website.models import OutboxEmail, OutboxStatus  # noqa: F401

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


class Level(models.TextChoices):
    BASIC = "basic", _("Basic")
    IN_DEPTH = "in_depth", _("In-depth")


class Kind(models.TextChoices):
    TRAINING = "training", _("Training")
    WEBINAR = "webinar", _("Webinar")
    NETWORK_EVENT = "network_event", _("Network event")


class ActivityLine(models.TextChoices):
    """The yearly target lines sessions count towards (website.hooks.ACTIVITY_SOURCES):
    trainings by level, webinars whatever their level, network events on a line of their
    own whatever their level (never towards the 4/2/6 training targets)."""

    BASIC_TRAINING = "basic_training", _("Basic trainings")
    IN_DEPTH_TRAINING = "in_depth_training", _("In-depth trainings")
    WEBINAR = "webinar", _("Webinars")
    NETWORK_EVENT = "network_event", _("Network events")


class EventType(models.TextChoices):
    """What kind of network event a ``NetworkEventPage`` is."""

    THEME_DAY = "theme_day", _("Theme day")
    WORK_SESSION = "work_session", _("Work session")
    CONNECTION_MEETING = "connection_meeting", _("Connection meeting")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    CONNECTION_TRACK = "connection_track", _("Connection track")


class Format(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on_site", _("On location")
    HYBRID = "hybrid", _("Hybrid")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


class MunicipalityScope(models.TextChoices):
    LISTED = "", _("One of the municipalities above")
    OTHER = "other", _("Another municipality")
    OUTSIDE = "outside", _("Outside Noord-Holland")


class RequestKind(models.TextChoices):
    IN_COMPANY = "in_company", _("Training in company")
    PRESSURE_COOKER = "pressure_cooker", _("Pressure cooker")


class RequestScope(models.TextChoices):
    """What a pressure cooker is for: the whole unit, one district or one municipality."""

    UNIT = "unit", _("The whole unit (all municipalities)")
    REGION = "region", _("A district (region)")
    MUNICIPALITY = "municipality", _("One municipality")


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    SCHEDULED = "scheduled", _("Scheduled")
    DECLINED = "declined", _("Declined")


# ----- pages -----------------------------------------------------------------


CATALOGUE_PER_PAGE = 20


class TrainingIndexPage(Page):
    """The catalogue (/trainingen/) or the webinar listing (/webinars/)."""

    intro = models.TextField(_("introduction"), blank=True)
    only_kind = models.CharField(
        _("show only"),
        max_length=20,
        choices=Kind.choices,
        blank=True,
        help_text=_(
            "Leave empty to list trainings, webinars and network events; choose network "
            "event for the event listing (/bijeenkomsten/)."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("only_kind")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    template = "pages/learning/training_index_page.html"
    parent_page_types = ["website.HomePage"]
    subpage_types = ["learning.TrainingPage", "learning.NetworkEventPage"]
    search_rank = 0  # an overview: after the trainings that match (website.search)

    page_description = _(
        "The training catalogue (every training and webinar) or an event listing, with filters "
        "and the session calendar."
    )

    class Meta:
        verbose_name = _("training catalogue or event listing")
        verbose_name_plural = _("training catalogues")

    def get_context(self, request, *args, **kwargs):
        from learning import fragments, selectors  # noqa: PLC0415 (cycle: selectors import models)
        from learning.forms import CatalogueFilterForm  # noqa: PLC0415 (cycle: forms import models)

        context = super().get_context(request, *args, **kwargs)
        # Everything is lazy: a cached fragment costs neither the form nor the queries.
        state = {}

        def form():
            if "form" not in state:
                state["form"] = CatalogueFilterForm(
                    request.GET or None,
                    choices=selectors.filter_choices(),
                    only_kind=self.only_kind,
                )
            return state["form"]

        context["filter_form"] = form  # templates call callables
        context["has_filters"] = lambda: bool(form().cleaned_filters())
        # One page of trainings at a time (``?pagina=``), so the HTML stays bounded.
        context["entries"] = SimpleLazyObject(
            lambda: Paginator(
                selectors.catalogue(filters=form().cleaned_filters(), only_kind=self.only_kind),
                CATALOGUE_PER_PAGE,
            ).get_page(request.GET.get("pagina"))
        )
        context["feed_groups"] = lambda: selectors.filter_choices()["target_group"]
        context["fragment_key"] = fragments.fragment_key(request, self.pk, request.GET.urlencode())
        context["cache_seconds"] = getattr(settings, "LEARNING_CACHE_SECONDS", 300)
        return context


class TrainingTag(TaggedItemBase):
    content_object = ParentalKey(
        "learning.TrainingPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class TrainingPage(Page):
    intro = models.TextField(_("introduction"))
    objectives = RichTextField(
        _("learning objectives"), blank=True, features=["bold", "italic", "ul", "ol", "link"]
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BASIC)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRAINING)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.ON_SITE
    )
    duration_label = models.CharField(
        _("duration"), max_length=50, help_text=_('For example "2 hours" or "3 dayparts".')
    )
    dayparts = models.PositiveSmallIntegerField(_("number of dayparts"), default=1)
    target_groups = ParentalManyToManyField(
        "website.TargetGroup", verbose_name=_("target groups"), blank=True, related_name="+"
    )
    tags = ClusterTaggableManager(through=TrainingTag, blank=True, verbose_name=_("themes"))
    prior_training = models.ForeignKey(
        "learning.TrainingPage",
        verbose_name=_("recommended prior training"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trainers = models.TextField(_("trainers"), blank=True)
    in_company = models.BooleanField(_("also available in company"), default=False)
    unlisted = models.BooleanField(
        _("not listed publicly"),
        default=False,
        help_text=_(
            "For in-company sessions: the training is not in the catalogue, feeds, search "
            "or sitemap, and its page is not shown; people register only through the "
            "private link of a session."
        ),
    )
    price = models.CharField(_("price"), max_length=60, blank=True, default="Gratis")
    practical_info = RichTextField(
        _("practical information"), blank=True, features=["bold", "italic", "ul", "link"]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("level"), FieldPanel("format")]),
                FieldRowPanel([FieldPanel("duration_label"), FieldPanel("dayparts")]),
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
                FieldPanel("prior_training"),
            ],
            heading=_("Classification"),
        ),
        FieldPanel("trainers"),
        FieldRowPanel([FieldPanel("price"), FieldPanel("in_company")]),
        FieldPanel("unlisted"),
        FieldPanel("practical_info"),
        SessionsPanel("sessions", heading=_("Sessions"), label=_("Session")),
        # A field of learning.forms.TrainingPageForm (the warning for changed sessions).
        FieldPanel("notify_changed_sessions"),
        SessionsLinkPanel(),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("objectives"),
        index.FilterField("kind"),
        index.FilterField("level"),
    ]
    template = "pages/learning/training_page.html"
    parent_page_types = ["learning.TrainingIndexPage"]
    subpage_types: list[str] = []

    @property
    def search_label(self) -> str:
        return str(self.get_kind_display())

    @property
    def search_summary(self) -> str:
        return self.intro

    page_description = _(
        "One training or webinar with its sessions; people register for a session."
    )

    class Meta:
        verbose_name = _("training or webinar")
        verbose_name_plural = _("trainings and webinars")

    def serve(self, request, *args, **kwargs):
        # Not listed: the page exists for its sessions' private links only (editors still
        # preview it: previews do not go through serve()).
        if self.unlisted:
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        return [] if self.unlisted else super().get_sitemap_urls(request)

    def get_context(self, request, *args, **kwargs):
        from learning import fragments, selectors  # noqa: PLC0415 (cycle: selectors import models)

        context = super().get_context(request, *args, **kwargs)
        detail = SimpleLazyObject(lambda: selectors.training_detail(page=self))
        context["detail"] = detail
        context["fragment_key"] = fragments.fragment_key(request, self.pk)
        context["cache_seconds"] = getattr(settings, "LEARNING_CACHE_SECONDS", 300)
        return context


class ProgrammeItemBlock(blocks.StructBlock):
    start_time = blocks.TimeBlock(label=_("start time"))
    end_time = blocks.TimeBlock(label=_("end time"), required=False)
    title = blocks.CharBlock(label=_("title"), max_length=200)
    speaker = blocks.CharBlock(label=_("speaker"), max_length=200, required=False)
    room = blocks.CharBlock(label=_("room or track"), max_length=100, required=False)
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        label = _("programme item")
        icon = "time"


class NetworkEventPage(TrainingPage):
    """A theme day, work session, connection meeting or network meeting, or a connection
    track (several meetings per region over months). A TrainingPage underneath (Django
    multi-table inheritance), so its sessions, capacity, waiting list, e-mails with .ics,
    reminders, attendance and certificates are learning's own; ``kind`` is always
    ``network_event``, which keeps it out of the 4/2/6 training targets."""

    page_description = _(
        "A network event (theme day, work session, connection meeting or track) with its "
        "programme and meetings; people register for a meeting or a whole track."
    )

    event_type = models.CharField(
        _("type of event"), max_length=30, choices=EventType.choices, default=EventType.THEME_DAY
    )
    programme = StreamField(
        [("item", ProgrammeItemBlock())], verbose_name=_("programme"), blank=True
    )
    partners = models.TextField(
        _("partners"), blank=True, max_length=2000, help_text=_("One organisation per line.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("event_type"),
        FieldPanel("intro"),
        FieldPanel("objectives", heading=_("What it brings you")),
        FieldPanel("programme"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("format"), FieldPanel("duration_label")]),
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("Classification"),
        ),
        FieldPanel("partners"),
        FieldPanel("trainers", heading=_("Speakers and hosts")),
        FieldPanel("price"),
        FieldPanel("practical_info"),
        SessionsPanel(
            "sessions",
            heading=_("Meetings"),
            label=_("Meeting"),
            help_text=_("For a connection track: one meeting per row, each with its region."),
        ),
        WorkshopsPanel(
            "workshops",
            heading=_("Workshop rounds"),
            label=_("Workshop"),
            help_text=_(
                "Optional. Participants choose one workshop per round when they register; "
                "each workshop has its own capacity."
            ),
        ),
    ]
    search_fields = [*TrainingPage.search_fields, index.SearchField("partners")]
    template = "pages/learning/network_event_page.html"
    parent_page_types = ["learning.TrainingIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("network event")
        verbose_name_plural = _("network events")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the type is, not a rule: every event is of the network event kind.
        self.kind = Kind.NETWORK_EVENT

    @property
    def search_label(self) -> str:
        return str(self.get_event_type_display())

    @property
    def is_track(self) -> bool:
        return self.event_type == EventType.CONNECTION_TRACK

    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        from learning import fragments, selectors  # noqa: PLC0415 (cycle: selectors import models)

        context = Page.get_context(self, request, *args, **kwargs)
        context["detail"] = SimpleLazyObject(lambda: selectors.event_detail(page=self))
        context["fragment_key"] = fragments.fragment_key(request, self.pk)
        context["cache_seconds"] = getattr(settings, "LEARNING_CACHE_SECONDS", 300)
        return context


class Workshop(Orderable):
    """One workshop in a round of a network event, with its own capacity per meeting."""

    page = ParentalKey(NetworkEventPage, on_delete=models.CASCADE, related_name="workshops")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    title = models.CharField(_("title"), max_length=200)
    host = models.CharField(_("speaker or host"), max_length=200, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=20)

    panels = [
        FieldRowPanel([FieldPanel("round"), FieldPanel("capacity")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("host"), FieldPanel("room")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self):
        return f"{self.round}: {self.title}"


# ----- sessions ----------------------------------------------------------------


class DaypartBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("date"))
    start_time = blocks.TimeBlock(label=_("start time"))
    end_time = blocks.TimeBlock(label=_("end time"))

    class Meta:
        label = _("daypart")


class Session(Orderable):
    page = ParentalKey(TrainingPage, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    more_dayparts = StreamField(
        [("daypart", DaypartBlock())],
        verbose_name=_("further dayparts"),
        blank=True,
        help_text=_("Only for sessions of more than one daypart."),
    )
    online = models.BooleanField(_("online"), default=False)
    location = models.TextField(_("location (address)"), blank=True)
    join_url = models.URLField(
        _("join link"), blank=True, help_text=_("Only shown to confirmed registrants.")
    )
    capacity = models.PositiveIntegerField(_("capacity"), default=20)
    deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    region = models.ForeignKey(
        "website.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    starts_at = models.DateTimeField(_("starts at"), editable=False, db_index=True)
    ends_at = models.DateTimeField(_("ends at"), editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    # The accounts that lead this session (role Trainer): they see its participants, mark
    # attendance and read its evaluations. Assigned on the coordinator's session screen, not
    # in the page editor; the training's public "trainers" text is separate.
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer accounts"),
        blank=True,
        related_name="trainer_sessions",
    )

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("more_dayparts"),
        FieldRowPanel([FieldPanel("online"), FieldPanel("join_url")]),
        FieldPanel("location"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("deadline"), FieldPanel("region")]),
        # Not a form field: cancelling goes through the coordinators' confirmation.
        SessionStatusPanel(),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.page.title}, {self.starts_at.astimezone(AMSTERDAM):%d-%m-%Y %H:%M}"

    def dayparts(self) -> list[tuple[dt.datetime, dt.datetime]]:
        """(start, end) per daypart, aware in Europe/Amsterdam, in date order."""
        parts = [(self.date, self.start_time, self.end_time)]
        for block in self.more_dayparts or []:
            value = block.value
            if value.get("date") and value.get("start_time") and value.get("end_time"):
                parts.append((value["date"], value["start_time"], value["end_time"]))
        return sorted(
            (
                dt.datetime.combine(day, start, tzinfo=AMSTERDAM),
                dt.datetime.combine(day, end, tzinfo=AMSTERDAM),
            )
            for day, start, end in parts
        )

    def save(self, *args, **kwargs):
        # Denormalised for SQL sorting and filtering; not a business rule.
        parts = self.dayparts()
        self.starts_at, self.ends_at = parts[0][0], parts[-1][1]
        if self.pk and kwargs.get("update_fields") is None:
            # Saving or publishing the training (any revision, old or new) must not change
            # what services own: the calendar SEQUENCE never decreases and the status
            # changes only through the services (``cancel_session``), never by a page save.
            stored = Session.objects.filter(pk=self.pk).values("sequence", "status").first()
            if stored:
                self.sequence = max(self.sequence, stored["sequence"])
                self.status = stored["status"]
        super().save(*args, **kwargs)

    def is_past(self, now: dt.datetime) -> bool:
        return self.ends_at <= now


def new_token() -> str:
    return secrets.token_urlsafe(32)


class PrivateLink(models.Model):
    """The private registration link of a session (in company, not listed publicly):
    ``/trainingen/besloten/<token>/``. Kept out of the page's revisions, so publishing or
    copying the training never changes or duplicates it."""

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="private_link"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("private registration link")
        verbose_name_plural = _("private registration links")

    def __str__(self):
        return str(self.session_id)


# ----- registrations -------------------------------------------------------------


class Organisation(models.Model):
    """Organisations people registered from. Only checked ones are offered as
    suggestions: free text typed by one visitor is never shown to others.

    ``key`` is the name folded for comparison (``learning.services.organisations``:
    case, accents, spacing, punctuation and common abbreviations such as "Gem."); it is
    unique, so "Gem. Zaanstad" and "gemeente zaanstad " are one organisation. A merged
    organisation stays as a forwarding row (``merged_into``): its spelling keeps
    leading to the organisation it was merged into."""

    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("comparison key"), max_length=500, unique=True, editable=False)
    verified = models.BooleanField(
        _("checked"),
        default=False,
        help_text=_(
            "Checked by a coordinator as a real organisation; only checked organisations "
            "are suggested on the public registration form."
        ),
    )
    sector = models.ForeignKey(
        "website.TargetGroup",
        verbose_name=_("sector (target group)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "website.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        editable=False,
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Denormalised for the unique index and lookups; not a business rule.
        self.key = organisation_key(self.name)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, "key"}
        super().save(*args, **kwargs)


class DistinctOrganisations(models.Model):
    """Two organisations a coordinator judged to be different, though their names look
    alike: the pair is no longer suggested for merging. ``first`` has the lower id."""

    first = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("distinct organisations")
        verbose_name_plural = _("distinct organisations")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_organisations_pair"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")),
                name="distinct_organisations_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.first_id} / {self.second_id}"


class ParticipantKey(models.Model):
    """One person, by e-mail address, so unique participants can be counted as a fact
    that outlives anonymisation. ``digest`` is the SHA-256 of the normalised address,
    kept only while some registration of the person still holds personal details
    (the address itself is stored next to it then); when the last of them is
    anonymised or erased, the digest is cleared and the surrogate id stays: counts
    stay exact, the address is gone. Set by the register service, never edited."""

    digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("participant key")
        verbose_name_plural = _("participant keys")

    def __str__(self):
        return f"#{self.pk}"


class Registration(models.Model):
    """The facts of a registration (kept for reports); personal details live in
    ``Participant`` and can be anonymised without touching these rows."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    target_group = models.ForeignKey(
        "website.TargetGroup",
        verbose_name=_("target group"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "website.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipality_scope = models.CharField(
        _("municipality scope"), max_length=20, choices=MunicipalityScope.choices, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    person = models.ForeignKey(
        ParticipantKey,
        verbose_name=_("person"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    created_at = models.DateTimeField(_("registered at"))
    status_changed_at = models.DateTimeField(_("status changed at"))
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    attendance_marked_at = models.DateTimeField(_("attendance marked at"), null=True, blank=True)
    # Claimed with a conditional UPDATE (... WHERE reminder_sent_at IS NULL) in the same
    # transaction that writes the e-mail to the outbox: each is sent exactly once.
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    survey_sent_at = models.DateTimeField(_("survey sent at"), null=True, blank=True)
    # The personal link mailed again ("you were already registered"): at most once an hour.
    link_resent_at = models.DateTimeField(_("link resent at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["session", "status", "created_at"]),
            # Covers what the reach report groups and counts per session (learning.
            # selectors.participation): read from the index alone, not the table rows.
            models.Index(
                fields=[
                    "session",
                    "status",
                    "attendance",
                    "target_group",
                    "municipality",
                    "organisation",
                    "person",
                ],
                name="learning_reg_report_idx",
            ),
        ]
        # Roles the default add/change/delete/view cannot express (see learning/access.py).
        permissions = [
            ("view_participant_data", _("Can see participants' personal details")),
            ("export_registrations", _("Can export participant lists")),
            ("mark_attendance", _("Can mark attendance")),
            (
                "lead_sessions",
                _(
                    "Can see participants, mark attendance and read evaluations of the "
                    "sessions one leads as trainer"
                ),
            ),
        ]

    def __str__(self):
        return f"{self.session} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def attended(self) -> bool:
        """Took part: a confirmed place marked present. A registration cancelled after it
        was marked (e.g. by a coordinator's correction) earns no survey or certificate."""
        return self.status == RegistrationStatus.CONFIRMED and self.attendance == Attendance.PRESENT


class Participant(models.Model):
    """Personal details of one registration: staff only, anonymisable."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="participant"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), db_index=True)
    function = models.CharField(_("function"), max_length=150)
    needs = models.TextField(_("accessibility or dietary needs"), blank=True, max_length=1000)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class WorkshopChoice(models.Model):
    """The workshop a registration chose in one round. Counts against the workshop's
    capacity while the registration is active (confirmed or on the waiting list), so a
    promotion from the waiting list never overbooks a workshop."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="workshop_choices"
    )
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="choices")
    round = models.PositiveSmallIntegerField(_("round"))

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("workshop choice")
        verbose_name_plural = _("workshop choices")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "round"], name="workshop_choice_one_per_round"
            )
        ]

    def __str__(self):
        return f"{self.registration_id}: {self.workshop}"


class Evaluation(models.Model):
    """One survey response per registration (a fact: kept when the participant is
    anonymised; the free-text comment is cleared on the same schedule)."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    overall = models.PositiveSmallIntegerField(_("overall score"))
    usefulness = models.PositiveSmallIntegerField(_("usefulness for daily practice"))
    recommend = models.BooleanField(_("would recommend"))
    improvement = models.TextField(_("what could be better"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("answered at"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall__gte=1, overall__lte=5), name="evaluation_overall_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(usefulness__gte=1, usefulness__lte=5),
                name="evaluation_usefulness_1_5",
            ),
        ]

    def __str__(self):
        return f"{self.registration_id}: {self.overall}/{self.usefulness}"


class SignInToken(models.Model):
    """A "Mijn trainingen" sign-in link: only the SHA-256 of the token is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("e-mail address"))
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self):
        return f"{self.pk} ({self.expires_at:%Y-%m-%d %H:%M})"


# ----- requests ----------------------------------------------------------------


REMARKS_MAX_LENGTH = 4000


class TrainingRequest(models.Model):
    """ "Training in company" and "pressure cooker" requests."""

    kind = models.CharField(_("kind"), max_length=30, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    scope = models.CharField(
        _("for"), max_length=20, choices=RequestScope.choices, blank=True, default=""
    )
    region = models.ForeignKey(
        "website.Region",
        verbose_name=_("district (region)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "website.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("planned session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("e-mail address"))
    contact_phone = models.CharField(_("phone number"), max_length=40, blank=True)
    wanted = models.CharField(_("wanted training or topic"), max_length=255)
    preferred_period = models.CharField(_("preferred period"), max_length=150)
    group_size = models.PositiveIntegerField(_("group size"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), blank=True, max_length=REMARKS_MAX_LENGTH)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    panels = [
        FieldPanel("status"),
        FieldPanel("kind", read_only=True),
        FieldPanel("organisation"),
        FieldPanel("scope"),
        FieldPanel("region"),
        FieldPanel("municipality"),
        FieldPanel("contact_name"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("wanted"),
        FieldPanel("preferred_period"),
        FieldPanel("group_size"),
        FieldPanel("remarks"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("training request")
        verbose_name_plural = _("training requests")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.requested_for}"

    @property
    def requested_for(self) -> str:
        """Who the request is for: the organisation, or the unit, district or municipality."""
        if self.organisation:
            return self.organisation
        if self.scope == RequestScope.UNIT:
            return str(_("the whole unit"))
        if self.scope == RequestScope.REGION and self.region_id:
            return self.region.name
        return self.municipality.name if self.municipality_id else ""
