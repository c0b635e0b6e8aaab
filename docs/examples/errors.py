"""Catch the errors you can act on; tune retries and timeouts per call."""

from betterplace_async import (
    APIStatusError,
    BetterplaceClient,
    InvalidParameterError,
    NotFoundError,
    RetryPolicy,
    ServiceUnavailableError,
    Timeouts,
    TransportError,
)
from betterplace_async.testing import FakeBetterplace


async def main(client: BetterplaceClient, fake: FakeBetterplace) -> None:
    # Bad input fails before any request, naming the parameter.
    try:
        await client.projects.get(-5)
    except InvalidParameterError as exc:
        print(exc)  # also a ValueError

    # Status errors carry the status, the request and the parsed error body.
    try:
        await client.projects.get(10_000_000)
    except NotFoundError as exc:
        print(exc.status, exc.method, exc.url, exc.body.reason)

    # A view with other settings for some calls: here no retries and a short timeout.
    impatient = client.with_options(retry=RetryPolicy.never(), timeouts=Timeouts(total=5))
    fake.faults.script("503")  # the next request is answered with 503
    try:
        await impatient.projects.get(1)
    except ServiceUnavailableError as exc:
        print("gave up at once:", exc.status)
    except (TransportError, APIStatusError) as exc:
        print("other failure:", exc)

    # The default policy retries 429, 5xx, timeouts and broken connections with backoff.
    fake.faults.script("502", "reset_before")
    project = await client.projects.get(1)
    print("after two retries:", project.id)
