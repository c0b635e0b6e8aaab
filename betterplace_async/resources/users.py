"""Contact data of users (client API)."""

from __future__ import annotations

from betterplace_async._core import params as _params
from betterplace_async.models.users import ContactData
from betterplace_async.resources._base import Namespace

__all__ = ["Users"]


class Users(Namespace):
    """``/users/{user_id}/contact_data`` (needs client credentials)."""

    async def contact_data(self, user_id: int) -> ContactData:
        """Return a user's contact data."""
        user = _params.positive_id(user_id, "user_id")
        return await self._get(ContactData, "users", user, "contact_data")
