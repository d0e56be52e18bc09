"""Organisations: one per real organisation, matching, merging (issue 11 item 2,
issue 13 item 6)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from learning import selectors, services
from learning.models import Attendance, Organisation, Registration
from learning.services import organisations
from website.models import Municipality, TargetGroup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Gemeente Zaanstad", "gemeente zaanstad"),
        ("Gem. Zaanstad", "gemeente zaanstad"),
        ("gemeente zaanstad ", "gemeente zaanstad"),
        ("GEM ZAANSTAD", "gemeente zaanstad"),
        ("  Stichting\tAnders ", "stichting anders"),
        ("Stg. Anders", "stichting anders"),
        ("Zorg- & Veiligheidshuis", "zorg en veiligheidshuis"),
        ("Cliëntenraad", "clientenraad"),
        ("GGD Hollands-Noorden", "ggd hollands noorden"),
        ("---", "---"),
    ],
)
def test_names_fold_to_one_key(typed, key):
    assert organisations.organisation_key(typed) == key


def test_variants_of_a_name_become_one_organisation(reference_data):
    first = organisations.find_or_create(name="Gemeente Zaanstad")
    assert organisations.find_or_create(name="Gem. Zaanstad") == first
    assert organisations.find_or_create(name="gemeente zaanstad ") == first
    assert Organisation.objects.count() == 1
    assert first.name == "Gemeente Zaanstad"  # the first spelling is shown


def test_a_new_organisation_gets_the_registrants_group_and_municipality_as_first_guess(
    reference_data,
):
    group, place = TargetGroup.objects.first(), Municipality.objects.first()
    created = organisations.find_or_create(
        name="Buurtteam Oost", sector_id=group.pk, municipality=place
    )
    assert (created.sector, created.municipality, created.verified) == (group, place, False)
    again = organisations.find_or_create(name="buurtteam oost", sector_id=None)
    assert again.sector == group  # an existing organisation is not changed by a registration


def test_the_key_is_unique_in_the_database(reference_data):
    organisations.find_or_create(name="Stichting Anders")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="STICHTING ANDERS", key="stichting anders")


def test_registrations_with_case_variants_share_one_organisation(
    make_training, make_session, person_factory
):
    session = make_session(make_training())
    for n, typed in enumerate(["Stichting Anders", "stichting anders", " STICHTING  ANDERS"]):
        services.register(
            session_id=session.pk,
            person=person_factory(n, organisation=typed),
            now=timezone.now(),
        )
    assert Organisation.objects.count() == 1
    assert Registration.objects.filter(organisation__name="Stichting Anders").count() == 3


# ----- similar names --------------------------------------------------------------------


def test_similar_names_are_suggested_and_different_places_are_not():
    keys = {
        1: "gemeente zaanstad",
        2: "gemeente zaanstadt",  # typo
        3: "gemeente zaandam",  # another place
        4: "zaanstad",  # contained
        5: "gemeente",  # generic alone: contained in every gemeente, says nothing
        6: "gemeente haarlem",
        7: "gemeente haarlemmermeer",
    }
    found = organisations.similar({2: keys[2], 4: keys[4], 5: keys[5], 6: keys[6]}, keys)
    assert [pk for pk, _score in found[2]] == [1]
    assert [pk for pk, _score in found[4]] == [1]  # "zaanstadt" is another word
    assert 5 not in found
    assert 6 not in found


def _register(session, person_factory, n, organisation, **kw):
    return services.register(
        session_id=session.pk,
        person=person_factory(n, organisation=organisation, **kw),
        now=timezone.now(),
    ).registration


def test_duplicate_suggestions_pair_unchecked_names_with_their_closest_match(
    make_training, make_session, person_factory
):
    session = make_session(make_training(), capacity=50)
    _register(session, person_factory, 1, "Gemeente Zaanstad")
    Organisation.objects.filter(name="Gemeente Zaanstad").update(verified=True)
    _register(session, person_factory, 2, "Gemeente Zaanstadt")
    _register(session, person_factory, 3, "Politie Noord-Holland")
    suggestions = selectors.organisation_duplicates()
    assert [(s.organisation.name, s.match.name) for s in suggestions] == [
        ("Gemeente Zaanstadt", "Gemeente Zaanstad")
    ]
    typo = suggestions[0].organisation
    organisations.mark_distinct(
        first_id=typo.pk, second_id=suggestions[0].match.pk, now=timezone.now()
    )
    assert selectors.organisation_duplicates() == []


# ----- merging --------------------------------------------------------------------------------


def _figures():
    per_organisation = {
        o.name: (o.registration_count, o.attended_count)
        for o in selectors.organisations_with_counts()
    }
    per_group = {}
    for reg in Registration.objects.select_related("target_group"):
        counts = per_group.setdefault(reg.target_group.name, [0, 0])
        counts[0] += 1
        counts[1] += reg.attended
    return per_organisation, per_group


def test_a_merge_moves_every_registration_and_keeps_every_figure(
    make_training, make_session, person_factory, django_user_model
):
    groups = list(TargetGroup.objects.all()[:2])
    sessions = [make_session(make_training(f"Training {i}"), capacity=50) for i in range(2)]
    kept = _register(sessions[0], person_factory, 1, "Gemeente Zaanstad").organisation
    _register(sessions[1], person_factory, 2, "Gemeente Zaanstad", target_group_id=groups[1].pk)
    typo_regs = [
        _register(
            sessions[i % 2],
            person_factory,
            10 + i,
            "Gemeente Zaanstadt",
            target_group_id=groups[i % 2].pk,
        )
        for i in range(3)
    ]
    _register(sessions[0], person_factory, 20, "GGD Kennemerland")
    Registration.objects.filter(pk=typo_regs[0].pk).update(attendance=Attendance.PRESENT)
    typo = typo_regs[0].organisation
    before_orgs, before_groups = _figures()
    user = django_user_model.objects.create_user("coord", "c@example.nl", "x")

    result = organisations.merge_organisations(
        source_id=typo.pk, target_id=kept.pk, now=timezone.now(), user=user
    )

    assert result.moved == 3
    after_orgs, after_groups = _figures()
    assert after_groups == before_groups
    assert after_orgs["Gemeente Zaanstad"] == (
        before_orgs["Gemeente Zaanstad"][0] + before_orgs["Gemeente Zaanstadt"][0],
        before_orgs["Gemeente Zaanstad"][1] + before_orgs["Gemeente Zaanstadt"][1],
    )
    assert "Gemeente Zaanstadt" not in after_orgs
    assert after_orgs["GGD Kennemerland"] == before_orgs["GGD Kennemerland"]
    assert Registration.objects.filter(organisation=typo).count() == 0
    # The merged spelling keeps leading to the organisation it was merged into.
    assert organisations.find_or_create(name="gemeente zaanstadt") == kept
    assert Organisation.objects.get(pk=typo.pk).merged_into == kept
    entry = ModelLogEntry.objects.get(action=organisations.MERGE_ACTION)
    assert entry.user == user and entry.object_id == str(kept.pk)
    assert entry.data["merged_name"] == "Gemeente Zaanstadt"
    assert entry.data["registrations_moved"] == 3
    assert "persoon" not in str(entry.data)  # no personal details in the log


def test_merging_twice_forwards_old_spellings_to_the_last_organisation(reference_data):
    a = organisations.find_or_create(name="Politie NH")
    b = organisations.find_or_create(name="Politie Noord Holand")
    c = organisations.find_or_create(name="Politie Noord-Holland")
    now = timezone.now()
    organisations.merge_organisations(source_id=a.pk, target_id=b.pk, now=now)
    organisations.merge_organisations(source_id=b.pk, target_id=c.pk, now=now)
    assert Organisation.objects.get(pk=a.pk).merged_into_id == c.pk
    assert organisations.find_or_create(name="politie nh") == c


def test_merge_refusals_are_dutch_domain_errors(reference_data):
    a = organisations.find_or_create(name="COA")
    b = organisations.find_or_create(name="C.O.A. Alkmaar")
    now = timezone.now()
    with pytest.raises(organisations.OrganisationError):
        organisations.merge_organisations(source_id=a.pk, target_id=a.pk, now=now)
    organisations.merge_organisations(source_id=b.pk, target_id=a.pk, now=now)
    with pytest.raises(organisations.OrganisationError):
        organisations.merge_organisations(source_id=b.pk, target_id=a.pk, now=now)
    with pytest.raises(organisations.OrganisationError):
        organisations.merge_organisations(source_id=10**12, target_id=a.pk, now=now)


def test_renaming_to_a_name_in_use_is_refused(reference_data):
    a = organisations.find_or_create(name="GGD Kennemerland")
    b = organisations.find_or_create(name="GGD Kennemerlnd")
    with pytest.raises(organisations.OrganisationError, match="GGD Kennemerland"):
        organisations.update_organisation(
            organisation_id=b.pk, name="ggd kennemerland", sector=None, municipality=None
        )
    group = TargetGroup.objects.first()
    renamed = organisations.update_organisation(
        organisation_id=b.pk, name="GGD Hollands Noorden", sector=group, municipality=None
    )
    assert (renamed.key, renamed.sector) == ("ggd hollands noorden", group)
    # Back to a spelling that was merged into it: allowed.
    organisations.merge_organisations(source_id=a.pk, target_id=b.pk, now=timezone.now())
    back = organisations.update_organisation(
        organisation_id=b.pk, name="GGD Kennemerland", sector=group, municipality=None
    )
    assert back.key == "ggd kennemerland"


# ----- the data migration folds existing spellings together ------------------------------------


@pytest.fixture
def migrator(reference_data):
    """Migrate learning back and forth; always forward to the latest state afterwards, so
    a failing check never leaves the schema of an older migration behind."""

    def migrate(target):
        executor = MigrationExecutor(connection)
        executor.migrate([target])
        return MigrationExecutor(connection).loader.project_state([target]).apps

    yield migrate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migration_folds_existing_spellings_and_moves_their_registrations(migrator):
    old = migrator(("learning", "0007_link_resent_at"))
    Org = old.get_model("learning", "Organisation")
    Reg = old.get_model("learning", "Registration")
    group = old.get_model("website", "TargetGroup").objects.first()
    place = old.get_model("website", "Municipality").objects.first()
    now = timezone.now()
    orgs = {
        name: Org.objects.create(name=name, verified=verified)
        for name, verified in [
            ("Stichting Anders", False),
            ("stichting anders", True),
            ("Stichting  Anders ", False),
            ("Gem. Zaanstad", False),
            ("Gemeente Zaanstad", False),
            ("GGD Kennemerland", False),
        ]
    }
    session = _old_session(old, now)
    registered = [
        "Stichting Anders",
        "Stichting Anders",
        "Stichting  Anders ",
        "Gem. Zaanstad",
        "Gemeente Zaanstad",
        "Gemeente Zaanstad",
        "GGD Kennemerland",
    ]
    for n, name in enumerate(registered):
        Reg.objects.create(
            session=session,
            status="confirmed",
            target_group=group,
            municipality=place,
            organisation=orgs[name],
            created_at=now,
            status_changed_at=now,
            token=f"t{n}",
        )

    new = migrator(("learning", "0008_organisation_key_sector_merge"))
    Org = new.get_model("learning", "Organisation")
    Reg = new.get_model("learning", "Registration")
    assert dict(Org.objects.values_list("key", "name")) == {
        "stichting anders": "stichting anders",  # the checked one is kept
        "gemeente zaanstad": "Gemeente Zaanstad",  # the one with most registrations
        "ggd kennemerland": "GGD Kennemerland",
    }
    per_key = dict(Reg.objects.values_list("organisation__key").annotate(n=Count("pk")))
    assert per_key == {"stichting anders": 3, "gemeente zaanstad": 3, "ggd kennemerland": 1}
    assert Org.objects.get(key="stichting anders").verified is True
    assert Org.objects.get(key="ggd kennemerland").sector_id == group.pk


def _old_session(apps, now):
    """A session on a bare training page row (historical models have no treebeard)."""
    Page = apps.get_model("wagtailcore", "Page")
    TrainingPage = apps.get_model("learning", "TrainingPage")
    Session = apps.get_model("learning", "Session")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    locale = Locale.objects.first() or Locale.objects.create(language_code="nl")
    page_type, _created = ContentType.objects.get_or_create(
        app_label="learning", model="trainingpage"
    )
    page = TrainingPage.objects.create(
        title="Oud",
        slug="oud-9999",
        path="9999",  # a root of its own: the tree may be empty after a flush
        depth=1,
        content_type=page_type,
        locale=locale,
        intro="x",
        duration_label="1 uur",
        draft_title="Oud",
        url_path="/oud-9999/",
    )
    assert Page.objects.filter(pk=page.pk).exists()
    return Session.objects.create(
        page=page,
        date=now.date(),
        start_time="09:00",
        end_time="10:00",
        starts_at=now,
        ends_at=now,
        capacity=10,
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_organisation_screens_take_the_same_queries_for_5_or_60_organisations(
    client, coordinator_user, make_training, make_session, person_factory
):
    session = make_session(make_training(), capacity=500)

    def add(start, count):
        for n in range(start, start + count):
            _register(session, person_factory, n, f"Stichting Buurtwerk {n}")
            _register(session, person_factory, 1000 + n, f"Stichting Buurtwerk {n}x")

    client.force_login(coordinator_user)
    add(0, 5)
    first = Organisation.objects.order_by("pk").first()
    urls = [
        "/admin/trainingen/organisaties/",
        "/admin/trainingen/organisaties/dubbel/",
        f"/admin/trainingen/organisaties/{first.pk}/samenvoegen/",
    ]
    for url in urls:
        client.get(url)  # warm the process-wide caches
    small = [_count(client, url) for url in urls]
    add(5, 55)
    assert Organisation.objects.count() == 120
    assert [_count(client, url) for url in urls] == small
    assert len(selectors.organisation_duplicates()) >= 60  # every "...x" next to its twin
