"""Forward money from the client pool to a project and wait for the outcome."""

from betterplace_async import BetterplaceClient, NewForwardingRequest, PledgeFailedError


async def main(client: BetterplaceClient) -> None:
    pool = await client.clients.pool()
    print("left to forward:", pool.donated_amount_in_cents - (pool.forwarded_amount_in_cents or 0))

    request = NewForwardingRequest(amount_in_cents=5000, client_reference="forward-2024-06")
    try:
        result = await client.clients.forwarding_requests.submit_and_wait(request, project_id=1)
    except PledgeFailedError as exc:
        print("not forwarded:", exc.failure_code)
    else:
        print("forwarded", result.amount_in_cents, "cents:", result.state)
