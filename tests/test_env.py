"""Reading settings from the environment."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_required, env_str


def test_a_file_variant_wins_over_the_plain_variable(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-file\n", encoding="utf-8")
    monkeypatch.setenv("SRM_TEST_SECRET", "from-env")
    monkeypatch.setenv("SRM_TEST_SECRET_FILE", str(secret))
    assert env_str("SRM_TEST_SECRET") == "from-file"


def test_an_unreadable_file_variant_is_a_configuration_error(monkeypatch, tmp_path):
    monkeypatch.setenv("SRM_TEST_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="SRM_TEST_SECRET_FILE"):
        env_str("SRM_TEST_SECRET")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("0", False), ("", False)]
)
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SRM_TEST_FLAG", raw)
    assert env_bool("SRM_TEST_FLAG", default=not expected) is expected


def test_a_boolean_that_is_not_one_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("SRM_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SRM_TEST_FLAG='maybe'"):
        env_bool("SRM_TEST_FLAG", default=False)


def test_an_integer_that_is_not_one_is_refused(monkeypatch):
    monkeypatch.setenv("SRM_TEST_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("SRM_TEST_INT", 1)


def test_lists_are_comma_separated_without_blanks(monkeypatch):
    monkeypatch.setenv("SRM_TEST_HOSTS", " a.example, ,b.example ")
    assert env_list("SRM_TEST_HOSTS", []) == ["a.example", "b.example"]


def test_a_missing_required_variable_says_why(monkeypatch):
    monkeypatch.delenv("SRM_TEST_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SRM_TEST_REQUIRED must be set: because"):
        env_required("SRM_TEST_REQUIRED", "because")
