"""Erasure cannot miss a model: every model pointing at a Person, a Registration or a
Submission is listed in privacy.erasure, as erased by an app's function or kept on purpose."""

from django.apps import apps

from privacy.erasure import APP_ERASERS, ERASED_BY, KEPT

POINTED_AT = ("members.Person", "registrations.Registration", "cfp.Submission")


def _models_pointing_at_personal_data() -> set[str]:
    return {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete
        and field.is_relation
        and field.related_model is not None
        and field.related_model._meta.label in POINTED_AT
    }


def test_every_model_pointing_at_a_person_registration_or_submission_is_covered():
    pointing = _models_pointing_at_personal_data()

    missing = sorted(pointing - set(ERASED_BY) - set(KEPT))

    assert missing == [], (
        "Say in privacy/erasure.py how erasure treats these models: ERASED_BY (and erase "
        "their personal data in the app's erase_person_data) or KEPT (with the reason)."
    )


def test_erasure_lists_no_model_that_does_not_point_at_personal_data():
    pointing = _models_pointing_at_personal_data()

    assert sorted((set(ERASED_BY) | set(KEPT)) - pointing) == []


def test_a_model_is_either_erased_or_kept():
    assert sorted(set(ERASED_BY) & set(KEPT)) == []


def test_every_erase_function_named_in_erased_by_is_called_by_erase_person():
    assert [eraser for eraser in ERASED_BY.values() if eraser not in APP_ERASERS] == []
