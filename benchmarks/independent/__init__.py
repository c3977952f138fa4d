"""A second, independent test set for the identity linkage (issue 33, item 4).

Written from docs/contracts.md §1 alone, apart from data/synthetic/: its own name pools
per nationality (names.py), its own spelling, typing and date noise (noise.py), its own
population of persons, AGDREF files and list records (population.py), written as an inbox
the pipeline ingests (inbox.py) with the truth beside it (truth.py). Synthetic names only.

    from benchmarks.independent.generate import generate_independent
    generate_independent(folder, "department", seed=1)   # folder/inbox, folder/truth
"""
