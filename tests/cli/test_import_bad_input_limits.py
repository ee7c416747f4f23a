"""Import limits: the file size ([import] max_file_mib), from a file and from a pipe."""

from pathlib import Path

import pytest

from tests.conftest import Relcli, dump


@pytest.fixture
def book(isolated: Path, relcli: Relcli) -> Path:
    """A book with one contact and a 1 MiB import limit."""
    assert relcli("contact", "add", "Ann Lee").code == 0
    (isolated / "config.toml").write_text("[import]\nmax_file_mib = 1\n", encoding="utf-8")
    return isolated / "relcli.db"


def _rows(n: int) -> str:
    return "name,email\n" + "".join(f"P{i} Q,p{i}@example.com\n" for i in range(n))


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    book: Path, relcli: Relcli, tmp_path: Path
) -> None:
    before = dump(book)
    file = tmp_path / "big.csv"
    file.write_text(_rows(60_000), encoding="utf-8")  # about 1.5 MiB
    result = relcli("import", "csv", str(file))
    assert result.code == 65
    assert result.err.strip() == (
        "relcli: the file is larger than 1 MiB; nothing was changed (hint: raise [import] "
        "max_file_mib in config.toml if it really is a contacts export)"
    )
    assert dump(book) == before


def test_a_pipe_over_the_limit_is_refused_part_way_and_nothing_is_kept(
    book: Path, relcli: Relcli
) -> None:
    before = dump(book)
    result = relcli("import", "csv", "-", stdin=_rows(60_000))
    assert result.code == 65
    assert "larger than 1 MiB" in result.err
    assert dump(book) == before


def test_a_file_under_the_limit_imports(book: Path, relcli: Relcli, tmp_path: Path) -> None:
    file = tmp_path / "ok.csv"
    file.write_text(_rows(100), encoding="utf-8")
    result = relcli("import", "csv", str(file))
    assert result.code == 0, result.err
    assert "added 100" in result.err
    assert len(dump(book)) > 100


@pytest.mark.parametrize("value", ["0", "true", '"64"', "99999"])
def test_a_bad_limit_is_a_config_error(book: Path, relcli: Relcli, value: str) -> None:
    (book.parent / "config.toml").write_text(
        f"[import]\nmax_file_mib = {value}\n", encoding="utf-8"
    )
    before = dump(book)
    result = relcli("import", "csv", "-", stdin="name\nBo\n")
    assert result.code == 78
    assert "import.max_file_mib" in result.err
    assert dump(book) == before
