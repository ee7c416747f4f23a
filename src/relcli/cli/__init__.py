"""The command line: main(argv) -> int is the error boundary (the only one)."""

import os
from collections.abc import Sequence

from relcli.errors import ExitCode, RelcliError


def main(argv: Sequence[str] | None = None) -> int:
    """Run relcli; user errors become one line on stderr and an exit code, never a traceback."""
    from relcli.cli import runtime
    from relcli.cli.app import app
    from relcli.render import messages

    runtime.reset()
    try:
        app(args=None if argv is None else list(argv), prog_name="relcli")
    except RelcliError as err:
        if os.environ.get("RELCLI_DEBUG") == "1":
            raise
        messages.error(str(err), hint=err.hint)
        return int(err.exit_code)
    except SystemExit as finished:  # how Typer ends every run: success, --help, usage error
        code = finished.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return ExitCode.OK
