"""website.forms: every public form's fields are prepared once per form class."""

import threading

from django import forms

from website.forms import AccessibleFormMixin, HoneypotMixin, PlainTextValidator


def _classes(form, name):
    return form.fields[name].widget.attrs["class"].split()


def test_fields_shared_with_a_parent_class_get_their_classes_and_guard_once():
    class Parent(AccessibleFormMixin, HoneypotMixin, forms.Form):
        name = forms.CharField(label="Naam")
        choice = forms.ChoiceField(label="Keuze", choices=[("a", "A")])

    class Child(Parent):
        pass

    class Other(Parent):
        extra = forms.CharField(label="Extra")

    for form_class in (Parent, Child, Other, Child, Parent):
        form = form_class()
        for name in ("name", "choice", "website"):
            classes = _classes(form, name)
            assert len(classes) == len(set(classes)), (form_class, name, classes)
            guards = [v for v in form.fields[name].validators if isinstance(v, PlainTextValidator)]
            assert len(guards) == (0 if name == "choice" else 1)
    assert "utrecht-textbox" in _classes(Other(), "extra")
    assert _classes(Other(), "choice") == ["utrecht-select", "utrecht-select--html-select"]


def test_forms_built_at_once_by_many_threads_get_one_guard():
    class Fresh(AccessibleFormMixin, forms.Form):
        text = forms.CharField(label="Tekst")

    errors = []

    def build():
        try:
            Fresh()
        except Exception as exc:  # pragma: no cover - shown by the assertion
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    form = Fresh({"text": "a\u202eb"})
    assert not form.is_valid()
    assert len(form.errors["text"]) == 1  # one message, not one per preparing thread
    assert Fresh({}).errors["text"] == ["Vul \u2018Tekst\u2019 in."]  # the field named, in Dutch


def test_the_field_named_message_follows_the_language_it_is_shown_in():
    from django.utils import translation  # noqa: PLC0415

    class Named(AccessibleFormMixin, forms.Form):
        city = forms.CharField(label="Plaats")

    with translation.override("en"):
        Named()  # the class is prepared while English is active
    with translation.override("nl"):
        assert Named({}).errors["city"] == ["Vul \u2018Plaats\u2019 in."]
    with translation.override("en"):
        assert Named({}).errors["city"] == ["Fill in “Plaats”."]
