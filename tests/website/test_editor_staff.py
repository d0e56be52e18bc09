"""Issue 18 item 4: what communications staff see in the editor."""

import pytest
from django import forms
from django.utils import translation
from wagtail.models import Page, Workflow, get_page_models

from learning.models import TrainingPage
from website import demo
from website.models import Region

pytestmark = pytest.mark.django_db


def test_every_page_type_has_its_own_description():
    described = {m.__name__: m.get_page_description() for m in get_page_models() if m is not Page}
    assert all(described.values()), [name for name, text in described.items() if not text]
    assert len(set(described.values())) == len(described)


def test_target_groups_are_checkboxes_on_every_page_type():
    """No Ctrl-click list box anywhere: each page type with target groups ticks them."""
    with_groups = [
        m for m in get_page_models() if "target_groups" in {f.name for f in m._meta.get_fields()}
    ]
    assert {m.__name__ for m in with_groups} >= {
        "TrainingPage",
        "NetworkEventPage",
        "PodcastEpisodePage",
    }
    for model in with_groups:
        fields = model.get_edit_handler().get_form_class().base_fields
        assert isinstance(fields["target_groups"].widget, forms.CheckboxSelectMultiple), model


def test_the_demo_names_the_default_workflow_in_dutch(reference_data):
    demo.seed()
    names = set(Workflow.objects.values_list("name", flat=True))
    assert "Moderators approval" not in names
    assert demo.WORKFLOW_NAME in names


def test_reference_data_choosers_speak_the_readers_language():
    """Wagtail formats a snippet chooser's button once, in the language active when the
    widget is made ("Choose region" for good); ours formats it when drawn."""
    with translation.override("en"):
        widget = Region.snippet_viewset.chooser_viewset.__class__(
            "probe", model=Region
        ).widget_class
    editor = TrainingPage.get_edit_handler().get_form_class()
    form_widget = editor.formsets["sessions"].form.base_fields["region"].widget
    with translation.override("nl"):
        assert str(widget.choose_one_text) == "Kies regio"
        html = form_widget.render("region", None, {"id": "id_region"})
    assert "Kies regio" in html and "Choose region" not in html
