"""What the fake holds and the knobs that change it while it serves.

The state, its clock, pledges, the ledger, the fault plan, capacity and the page hold;
internal to the fake server (the public names are re-exported by ``betterplace_async.testing``).
"""
