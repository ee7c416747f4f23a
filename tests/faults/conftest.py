"""Fixtures of the fault-injection suite: the installed script, a tiny tmpfs, immutable files."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import SCRIPT


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: a fault-injection test that takes seconds (still runs by default)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents and not SCRIPT.exists():
            item.add_marker(pytest.mark.skip(reason=f"the relcli script is not at {SCRIPT}"))


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs mounted in tmp_path; skipped where mounting is not allowed."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if os.geteuid() != 0 or mount is None or umount is None:
        pytest.skip("mounting a tmpfs needs root and mount(8); run the suite as root to test it")
    point = tmp_path / "disk"
    point.mkdir()
    tried = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if tried.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs in this sandbox: {tried.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run([umount, "-l", str(point)], capture_output=True, check=False)


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[list[Path]]:
    """A list to add paths to: each gets `chattr +i` (root cannot write it either) and loses
    it again at teardown. Skipped where chattr is missing or the file system has no flags."""
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("chattr is not installed, and root ignores chmod: cannot make a file read-only")
    probe = tmp_path / "probe"
    probe.write_bytes(b"x")
    tried = subprocess.run([chattr, "+i", str(probe)], capture_output=True, text=True, check=False)
    if tried.returncode != 0:
        pytest.skip(f"chattr +i does not work here: {tried.stderr.strip()}")
    subprocess.run([chattr, "-i", str(probe)], check=True)
    probe.unlink()
    paths: list[Path] = []
    try:
        yield paths
    finally:
        for path in reversed(paths):
            subprocess.run([chattr, "-i", str(path)], capture_output=True, check=False)
