"""An asyncio SDK for the betterplace.org API v4.

Start with :class:`BetterplaceClient`; errors live in :mod:`betterplace_async.errors`, models
in :mod:`betterplace_async.models`, and a fake API server for tests in
:mod:`betterplace_async.testing`.
"""

from importlib.metadata import PackageNotFoundError, version

from ._auth import Credentials
from ._cache import ETagCache
from ._converter import make_converter
from ._limiter import Limiter
from ._pagination import PaginationDriftError, PaginationEvent, PaginationStats, Paginator
from ._params import BoundingBox
from ._retry import RetryPolicy
from ._transport import Timeouts
from .client import BetterplaceClient
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BetterplaceError,
    ClientStateError,
    DecodeError,
    InsecureTransportError,
    InvalidParameterError,
    NotFoundError,
    PermissionDeniedError,
    PledgeFailedError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    ServiceUnavailableError,
    TransportError,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from .pledges import (
    NewDirectDeposit,
    NewDonationPledge,
    NewForwardingRequest,
    NewMailingSubscription,
    NewNewsletterOptIn,
    PledgeResult,
)
from .resources._base import Listing

try:
    __version__ = version("betterplace_async")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
"""The installed distribution's version (``"0.0.0"`` in a source tree never installed)."""

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BetterplaceClient",
    "BetterplaceError",
    "BoundingBox",
    "ClientStateError",
    "Credentials",
    "DecodeError",
    "ETagCache",
    "InsecureTransportError",
    "InvalidParameterError",
    "Limiter",
    "Listing",
    "NewDirectDeposit",
    "NewDonationPledge",
    "NewForwardingRequest",
    "NewMailingSubscription",
    "NewNewsletterOptIn",
    "NotFoundError",
    "PaginationDriftError",
    "PaginationEvent",
    "PaginationStats",
    "Paginator",
    "PermissionDeniedError",
    "PledgeFailedError",
    "PledgeResult",
    "RateLimitError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ServerError",
    "ServiceUnavailableError",
    "Timeouts",
    "TransportError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "__version__",
    "make_converter",
]
