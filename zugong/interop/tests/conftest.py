from pathlib import Path

import pytest

FILES = Path(__file__).parent / "files"


@pytest.fixture
def lrmx_file():
    def read(name: str) -> bytes:
        return (FILES / name).read_bytes()

    return read


@pytest.fixture
def parse(db, lrmx_file):
    from zugong.interop.lrmx import parse_lrmx

    def run(name: str) -> dict:
        return parse_lrmx(lrmx_file(name), name)

    return run
