"""Typed outcomes of key lookups that found nothing or could not look."""

from __future__ import annotations

import strawberry


@strawberry.type(
    description="Nothing with this key exists, or the caller's scope does not cover it (the two "
    "are not told apart, so a scope never reveals what exists outside it)."
)
class NotFound:
    message: str = strawberry.field(description="What was looked for, for a person.")
    key: str = strawberry.field(description="The key that was looked up.")


@strawberry.type(
    description="The argument cannot be a key of this entity (e.g. empty or too long)."
)
class InvalidArgument:
    message: str = strawberry.field(description="What is wrong with the argument, for a person.")
    argument: str = strawberry.field(description="The argument's name.")


MAX_KEY_LENGTH = 200


def key_problem(argument: str, value: str) -> InvalidArgument | None:
    """An :class:`InvalidArgument` if ``value`` cannot be a key, else ``None``."""
    if not value.strip():
        return InvalidArgument(message=f"{argument} must not be empty", argument=argument)
    if len(value) > MAX_KEY_LENGTH:
        return InvalidArgument(
            message=f"{argument} is longer than {MAX_KEY_LENGTH} characters", argument=argument
        )
    return None
