"""`deputy profile`: the traveller profile, read and written in the data folder (no server needed)."""

import json
from typing import TYPE_CHECKING, Annotated

import typer

from backend.cli.app import DataDirOption, app, console, fail, load_settings

if TYPE_CHECKING:
    from backend.traveller.vault import Vault

profile_app = typer.Typer(help="Your traveller profile: you and your companions (identifying values masked).")
app.add_typer(profile_app, name="profile")

FieldsArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="FIELD=VALUE pairs: first_name, last_name, date_of_birth (YYYY-MM-DD), nationality (PT), "
        "passport_number, passport_country, passport_expiry, seat_preference (window/aisle/middle/any), "
        "frequent_flyer.AIRLINE"
    ),
]


def _vault(data_dir: object) -> "Vault":
    from backend.traveller.vault import Vault

    settings = load_settings(None, data_dir)  # type: ignore[arg-type]
    return Vault(settings.data_dir)


def _pairs(pairs: list[str]) -> dict[str, object]:
    changes: dict[str, object] = {}
    programmes: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            fail(f"{pair!r} is not FIELD=VALUE (for example passport_expiry=2031-05-01).")
        key = key.strip()
        if key.startswith("frequent_flyer."):
            programmes[key.removeprefix("frequent_flyer.")] = value
        else:
            changes[key] = value.strip()
    if programmes:
        changes["frequent_flyer"] = programmes
    return changes


def _load(vault: "Vault"):
    from backend.traveller.vault import ProfileUnreadable

    try:
        return vault.load()
    except ProfileUnreadable as error:
        fail(str(error))


def _save_person(data_dir: object, companion: int | None, pairs: list[str], new: bool = False) -> None:
    from datetime import date

    from pydantic import ValidationError

    from backend.traveller.profile import explain, updated

    vault = _vault(data_dir)
    profile = _load(vault)
    changes = _pairs(pairs)
    if companion is not None and not 1 <= companion <= len(profile.companions):
        fail(f"There is no companion {companion}; `deputy profile show` lists them.")
    current = None if new else (profile.companions[companion - 1] if companion else profile.traveller)
    if current is not None and "frequent_flyer" in changes:
        changes["frequent_flyer"] = {**current.frequent_flyer, **changes["frequent_flyer"]}  # type: ignore[dict-item]
    try:
        person = updated(current, changes, date.today())
    except ValidationError as error:
        fail("; ".join(explain(error)) + ".")
    if new:
        profile.companions.append(person)
    elif companion:
        profile.companions[companion - 1] = person
    else:
        profile.traveller = person
    vault.save(profile)
    console.print(f"Saved {person.name}.")


@profile_app.command("show")
def show(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (still masked).")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Show the profile; dates of birth, passport numbers and expiries, and frequent-flyer numbers are masked."""
    from backend.traveller.profile import masked_profile

    shown = masked_profile(_load(_vault(data_dir)))
    if as_json:
        console.print_json(json.dumps(shown))
        return
    people = ([("You", shown["traveller"])] if shown["traveller"] else []) + [
        (f"Companion {i}", p) for i, p in enumerate(shown["companions"], start=1)
    ]
    if not people:
        console.print("No traveller profile yet: `deputy profile set first_name=Ana last_name=Ruiz ...`.")
        return
    for title, person in people:
        console.print(f"[bold]{title}: {person['first_name']} {person['last_name']}[/]")
        for key, value in person.items():
            if key not in ("first_name", "last_name") and value not in (None, {}, ""):
                console.print(f"  {key}: {value}")


@profile_app.command("set")
def set_fields(
    fields: FieldsArgument = None,
    companion: Annotated[int | None, typer.Option("--companion", help="Change companion N instead of you.")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Set fields of your own entry (or of companion N)."""
    if not fields:
        fail("Give at least one FIELD=VALUE, for example passport_number=X1234567.")
    _save_person(data_dir, companion, fields)


@profile_app.command("add-companion")
def add_companion(fields: FieldsArgument = None, data_dir: DataDirOption = None) -> None:
    """Add someone you travel with (first_name and last_name at least)."""
    _save_person(data_dir, None, fields or [], new=True)


@profile_app.command("rm")
def remove(
    companion: Annotated[int, typer.Argument(help="The companion's number, as `deputy profile show` lists it.")],
    data_dir: DataDirOption = None,
) -> None:
    """Remove companion N."""
    vault = _vault(data_dir)
    profile = _load(vault)
    if not 1 <= companion <= len(profile.companions):
        fail(f"There is no companion {companion}; `deputy profile show` lists them.")
    gone = profile.companions.pop(companion - 1)
    vault.save(profile)
    console.print(f"Removed {gone.name}.")
