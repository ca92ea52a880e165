"""The dream diary: one markdown page per night in the data folder, for the person to read."""

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backend.dreaming.night import Dream


def diary_dir(data_dir: Path) -> Path:
    return data_dir / "dreams"


def _section(title: str, lines: list[str], empty: str) -> str:
    body = "\n".join(f"- {line}" for line in lines) if lines else empty
    return f"## {title}\n\n{body}\n"


def write_diary(folder: Path, dream: "Dream", now: datetime) -> Path:
    """Write (or add to) the night's page; a second dream the same day is appended, never overwritten."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    page = folder / f"{dream.day}.md"
    parts = [
        f"# Dream of {now:%Y-%m-%d %H:%M} UTC\n" if not page.exists() else f"\n# Again at {now:%H:%M} UTC\n",
        _section("What I read", dream.read, "Nothing."),
        _section("What I propose (waiting for your answer)", dream.proposed, "Nothing new."),
        _section("What I left out", dream.dropped, "Nothing."),
        _section("What I refused to do", dream.refused, "Nothing."),
    ]
    with page.open("a", encoding="utf-8") as out:
        out.write("\n".join(parts))
    return page
