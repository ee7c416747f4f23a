"""The command line: main(argv) -> int is the error boundary (the only one)."""

import os
from collections.abc import Sequence

from relcli.errors import ExitCode, RelcliError


def main(argv: Sequence[str] | None = None) -> int:
    """Run relcli; user errors become one line on stderr and an exit code, never a traceback."""
    import typer

    from relcli.cli import runtime
    from relcli.cli.app import app
    from relcli.render import messages

    runtime.reset()
    try:
        result = app(
            args=None if argv is None else list(argv), prog_name="relcli", standalone_mode=False
        )
    except RelcliError as err:
        if os.environ.get("RELCLI_DEBUG") == "1":
            raise
        messages.error(str(err), hint=err.hint)
        return int(err.exit_code)
    except typer.TyperException as err:  # Typer's own usage errors: one line, like ours
        if type(err).__name__ == "NoArgsIsHelpError":  # a bare group: show its help
            typer.echo(err.format_message())
            return int(ExitCode.OK)
        ctx = getattr(err, "ctx", None)
        where = ctx.command_path if ctx is not None else "relcli"
        messages.error(err.format_message(), hint=f"see '{where} --help'")
        return int(err.exit_code)
    except typer.Abort:
        messages.error("aborted; nothing was changed")
        return int(ExitCode.ERROR)
    except SystemExit as finished:
        code = finished.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return result if isinstance(result, int) else int(ExitCode.OK)
