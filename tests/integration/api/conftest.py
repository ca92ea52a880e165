from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import Deputy, start_deputy


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server
