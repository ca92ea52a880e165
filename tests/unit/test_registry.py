"""Invariants of the one action registry that the loop, the policy, the API and the extension read."""

import pytest

from backend.actions import Risk, registry
from backend.actions import interaction as interaction_actions
from backend.actions.registry import ActionInputError, ActionSpec

REQUIRED = {
    "navigate",
    "go_back",
    "click",
    "type_text",
    "select_option",
    "check",
    "press_key",
    "scroll",
    "switch_tab",
    "upload_file",
    "download",
    "extract_text",
    "extract_table",
    "wait_for",
    "screenshot",
    "ask_user",
    "finish_task",
}


def test_every_required_action_is_declared() -> None:
    assert {spec.name for spec in registry} >= REQUIRED


@pytest.mark.parametrize("spec", list(registry), ids=lambda s: s.name)
def test_every_action_has_description_risk_and_described_parameters(spec: ActionSpec) -> None:
    assert len(spec.description) >= 10
    assert spec.description[0].isupper() and spec.description.endswith(".")
    assert isinstance(spec.risk, Risk)
    schema = spec.input_schema()
    assert schema["type"] == "object"
    for name, prop in schema.get("properties", {}).items():
        described = "description" in prop or "enum" in prop or prop.get("type") == "boolean" or name == "direction"
        assert described, f"{spec.name}.{name} has no description"
    definition = spec.tool_definition()
    assert set(definition) == {"name", "description", "input_schema"}


def test_tool_definitions_stay_small() -> None:
    import json

    size = sum(len(json.dumps(spec.tool_definition())) for spec in registry)
    # Sent with every call (and cached): a few thousand bytes, not tens of thousands.
    assert size < 8000, size


def test_parameters_are_validated_with_readable_errors() -> None:
    click = registry.get("click")
    assert click.validate({"ref": "e3"}).ref == "e3"  # type: ignore[attr-defined]
    with pytest.raises(ActionInputError, match="ref"):
        click.validate({"ref": "#delete-all"})
    with pytest.raises(ActionInputError, match="Extra inputs"):
        click.validate({"ref": "e3", "force": True})
    with pytest.raises(ActionInputError, match="url"):
        registry.get("navigate").validate({"url": "javascript:alert(1)"})


def test_action_functions_cannot_be_called_around_the_executor() -> None:
    # The decorated names are specs, not callables.
    assert isinstance(interaction_actions.click, ActionSpec)
    assert not callable(interaction_actions.click)
    with pytest.raises(PermissionError):
        registry.function(registry.get("click"), object())
    with pytest.raises(PermissionError):
        registry.get("click")._sealed.open(None, None)
