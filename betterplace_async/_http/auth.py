"""Client API credentials, kept out of every repr, log line and message."""

from __future__ import annotations

import base64

import attrs

from betterplace_async.errors import InvalidParameterError

__all__ = ["Credentials"]


@attrs.frozen(repr=False)
class Credentials:
    """A username and password for HTTP Basic auth on the client API.

    ``repr()`` and ``str()`` never show either value.
    """

    username: str = attrs.field()
    password: str = attrs.field()

    @username.validator
    def _check_username(self, _: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not value:
            raise InvalidParameterError("auth", "username must be a non-empty string")
        if ":" in value:
            raise InvalidParameterError("auth", "username must not contain ':'")

    @password.validator
    def _check_password(self, _: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not value:
            raise InvalidParameterError("auth", "password must be a non-empty string")

    def __repr__(self) -> str:
        return "Credentials(username=<hidden>, password=<hidden>)"

    __str__ = __repr__

    @classmethod
    def coerce(cls, value: object) -> Credentials | None:
        """Accept ``None``, a ``Credentials`` or a ``(username, password)`` pair."""
        if value is None or isinstance(value, cls):
            return value
        if isinstance(value, tuple | list) and len(value) == 2:
            return cls(value[0], value[1])
        raise InvalidParameterError(
            "auth", f"must be (username, password) or Credentials, got {type(value).__name__}"
        )

    def authorization_header(self) -> str:
        """Return the ``Authorization`` header value (``user:password`` as UTF-8, base64)."""
        pair = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")
