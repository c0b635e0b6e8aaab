"""Submit one donation pledge and wait until the API has booked it (or refused it)."""

from betterplace_async import (
    BetterplaceClient,
    NewDonationPledge,
    PledgeFailedError,
    WaitTimeoutError,
)


async def main(client: BetterplaceClient) -> None:
    pledge = NewDonationPledge(
        amount_in_cents=2500,  # 1 .. 1,000,000
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        street="Schlesische Str. 26",
        zip="10997",
        city="Berlin",
        country_code="DE",
        client_reference="order-4711",  # your own id; generated when omitted
    )
    try:
        result = await client.clients.pledges.submit_and_wait(pledge, project_id=1, deadline=60)
    except PledgeFailedError as exc:
        print("refused:", exc.failure_code)
    except WaitTimeoutError:
        print("not settled yet; look again later with the same client_reference")
    else:
        print(result.client_reference, result.state, result.polls, "polls")
        assert result.confirmed

    # Sending the same pledge again books nothing twice: client_reference is the key.
    handle = await client.clients.pledges.submit(pledge, project_id=1)
    again = await handle.wait()
    assert again.confirmed
