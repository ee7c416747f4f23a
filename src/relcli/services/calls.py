"""Talking points: notes pinned to show whenever the contact is called."""

from sqlmodel import Session

from relcli.errors import InvalidInputError, NotFoundError
from relcli.models import Interaction
from relcli.store import records


def pin(session: Session, interaction_id: int, *, on: bool = True) -> tuple[Interaction, str]:
    """Mark an interaction's note as a talking point (or unmark it); returns it and the name."""
    found = _interaction(session, interaction_id)
    if on and not (found.summary or "").strip():
        raise InvalidInputError(
            f"interaction #{interaction_id} has no note to pin; nothing was changed",
            hint="log one with text: relcli log CONTACT 'their kids are Emma and Leo' -c note",
        )
    found.talking_point = on
    session.add(found)
    ref = records.find_contact(session, f"#{found.contact_id}")
    return found, ref.name


def _interaction(session: Session, interaction_id: int) -> Interaction:
    found = session.get(Interaction, interaction_id)
    if found is None:
        raise NotFoundError(
            f"no interaction #{interaction_id}", hint="see 'relcli contact show CONTACT'"
        )
    return found
