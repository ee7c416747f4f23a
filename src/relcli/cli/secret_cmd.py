"""relcli secret set|rm: keep the SMTP password in the system keyring, never in a file."""

import sys
from typing import Annotated

import typer

from relcli import credentials
from relcli.render import messages

app = typer.Typer(help="Store or remove secrets in the system keyring.", no_args_is_help=True)

NameArgument = Annotated[
    str,
    typer.Argument(metavar="NAME", help=f"Which secret: {', '.join(credentials.SECRETS)}."),
]


@app.command("set")
def set_(name: NameArgument) -> None:
    """Store a secret in the keyring.

    On a terminal it asks twice, without echo. Otherwise it reads the first line of stdin,
    e.g. 'pass show mail/smtp | relcli secret set smtp'. There is deliberately no option
    for the value: it would end up in the shell history and the process list.
    """
    credentials.check_name(name)
    is_terminal = sys.stdin.isatty()
    if is_terminal:
        value = typer.prompt(
            f"{name.upper()} password", hide_input=True, confirmation_prompt=True, err=True
        )
    else:
        lines = sys.stdin.read().splitlines()
        value = lines[0] if lines else ""
    if not value:
        from relcli.errors import UsageError

        raise UsageError(
            f"no {name} password given; nothing was stored",
            hint=f"pipe it in, e.g. 'pass show mail/{name} | relcli secret set {name}'",
        )
    credentials.set_secret(name, value, interactive=is_terminal)
    messages.note(f"stored the {name} password in the keyring ({credentials.backend_name()})")


@app.command("rm")
def rm(name: NameArgument) -> None:
    """Remove a secret from the keyring."""
    credentials.check_name(name)
    removed = credentials.remove_secret(name, interactive=sys.stdin.isatty())
    backend = credentials.backend_name()
    if removed:
        messages.note(f"removed the {name} password from the keyring ({backend})")
    else:
        messages.note(f"no {name} password was in the keyring ({backend}); nothing changed")
