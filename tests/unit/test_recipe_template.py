"""Recipe variables: what differs between runs becomes {{name}}; profile placeholders stay as they are."""

from backend.recipes.template import abstract, fill, find_variables, match


def test_a_booking_code_and_a_sender_become_variables() -> None:
    said = "Check in booking QX7R2K for the flight"
    found = find_variables(said, ["QX7R2K"])
    assert found == {"code": "QX7R2K"}
    assert abstract(said, found) == "Check in booking {{code}} for the flight"
    sender = "Archive the mail from Priya Nair"
    assert find_variables(sender, ['row "Priya Nair — Draft floor plan"']) == {"name": "Priya Nair"}


def test_values_the_steps_never_used_stay_in_the_instruction() -> None:
    assert find_variables("Open the Inbox and read it", ["Archive"]) == {}


def test_profile_placeholders_are_never_filled_by_a_recipe() -> None:
    step = {"text": "{{traveller.passport_number}} for {{code}}"}
    assert fill(step, {"code": "QX7R2K"}) == {"text": "{{traveller.passport_number}} for QX7R2K"}


def test_a_value_inside_a_profile_placeholder_stays_a_placeholder() -> None:
    step = {"text": "{{traveller.passport_number}}", "target": {"name": "Passport of traveller"}}
    assert abstract(step, {"who": "traveller"}) == {
        "text": "{{traveller.passport_number}}",
        "target": {"name": "Passport of {{who}}"},
    }
    assert abstract("Seat 14A for AB14A", {"code": "AB14A", "seat": "14A"}) == "Seat {{seat}} for {{code}}"


def test_an_instruction_matches_its_template_whatever_the_case_and_spacing() -> None:
    template = "Move the mail from {{name}} to the bin"
    assert match(template, "move the  mail from Tomás Ferreira to the bin.") == {"name": "Tomás Ferreira"}
    assert match(template, "Delete the mail from Tomás Ferreira") is None
