"""`deputy dreams`: the dream diary, one page per night, read from the data folder (no server needed)."""

import re
from typing import Annotated

import typer

from backend.cli.app import DataDirOption, app, console, fail, load_settings

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@app.command()
def dreams(
    day: Annotated[str | None, typer.Argument(help="The night to show, as YYYY-MM-DD (default: the latest).")] = None,
    list_all: Annotated[bool, typer.Option("--list", help="List the nights with a diary page.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """What dreaming read, proposed, left out and refused, night by night."""
    from backend.dreaming.diary import diary_dir

    folder = diary_dir(load_settings(None, data_dir).data_dir)
    pages = sorted(folder.glob("*.md")) if folder.is_dir() else []
    if not pages:
        console.print("No dreams yet: the nightly dream job writes a page here after each night.")
        return
    if list_all:
        for page in pages:
            console.print(page.stem, markup=False)
        return
    if day is not None and not _DAY.match(day):
        fail(f"'{day}' is not a day: give it as YYYY-MM-DD, for example {pages[-1].stem}.")
    chosen = folder / f"{day}.md" if day else pages[-1]
    if not chosen.is_file():
        fail(f"No dream on {day}. Nights with a page: {', '.join(p.stem for p in pages[-7:])}.")
    console.print(chosen.read_text(encoding="utf-8"), markup=False, soft_wrap=True)
