"""An asyncio SDK for the betterplace.org API v4.

Start with :class:`BetterplaceClient`; errors live in :mod:`betterplace_async.errors`, models
in :mod:`betterplace_async.models`, and a fake API server for tests in
:mod:`betterplace_async.testing`.
"""

from importlib.metadata import PackageNotFoundError, version

from betterplace_async._core.converter import make_converter
from betterplace_async._core.params import DEFAULT_MAX_CONCURRENCY, BoundingBox
from betterplace_async._core.protocol import DEFAULT_BASE_URL
from betterplace_async._core.retry import RetryPolicy
from betterplace_async._engines.pagination import (
    PaginationDriftError,
    PaginationEvent,
    PaginationStats,
    Paginator,
)
from betterplace_async._engines.submissions import SubmissionHandle, SubmissionStream
from betterplace_async._http.auth import Credentials
from betterplace_async._http.cache import ETagCache
from betterplace_async._http.limiter import Limiter
from betterplace_async._http.session import Timeouts
from betterplace_async.client import BetterplaceClient
from betterplace_async.errors import (
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
from betterplace_async.models.requests import (
    NewDirectDeposit,
    NewDonationPledge,
    NewForwardingRequest,
    NewMailingSubscription,
    NewNewsletterOptIn,
)
from betterplace_async.models.submissions import SubmissionResult
from betterplace_async.resources._base import Listing

try:
    __version__ = version("betterplace_async")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
"""The installed distribution's version (``"0.0.0"`` in a source tree never installed)."""

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_CONCURRENCY",
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
    "RateLimitError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ServerError",
    "ServiceUnavailableError",
    "SubmissionHandle",
    "SubmissionResult",
    "SubmissionStream",
    "Timeouts",
    "TransportError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "__version__",
    "make_converter",
]
