"""The coordinator fixture is a real coordinator: every coordinator screen opens for it,
with no superuser rights behind it."""

import pytest

pytestmark = pytest.mark.django_db

SCREENS = [
    "/admin/trainingen/sessies/",
    "/admin/trainingen/evaluaties/",
    "/admin/trainingen/organisaties/",
    "/admin/snippets/learning/trainingrequest/",
    "/admin/podcasts/downloads/",
]


def test_every_coordinator_screen_opens_for_a_coordinator(coordinator, coordinator_user, site_home):
    assert not coordinator_user.is_superuser and not coordinator_user.is_staff
    home = coordinator.get("/admin/").content.decode()
    for url in SCREENS:
        assert coordinator.get(url).status_code == 200, url
        assert f'"{url}"' in home, f"no menu item for {url}"  # the sidebar's data
