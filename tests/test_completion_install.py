"""relcli --install-completion writes a working script for bash, zsh and fish."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("relcli")
WHERE = {
    "bash": (".bash_completions/relcli.sh", ".bashrc"),
    "zsh": (".zfunc/_relcli", ".zshrc"),
    "fish": (".config/fish/completions/relcli.fish", None),
}


@pytest.mark.skipif(not SCRIPT.exists(), reason="the relcli script is not installed")
@pytest.mark.parametrize("shell", sorted(WHERE))
def test_install_completion_writes_the_script_and_hooks_it_in(tmp_path: Path, shell: str) -> None:
    # Typer detects the running shell; this variable lets the test name it instead.
    env = {**os.environ, "HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    run = subprocess.run([str(SCRIPT), "--install-completion", shell], env=env,
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr
    script, rc = WHERE[shell]
    assert "_RELCLI_COMPLETE" in (tmp_path / script).read_text()
    if rc is not None:
        assert (tmp_path / rc).read_text().strip()
