"""How fast the provenance check reads page text and checks a URL, and what it keeps in memory.

Prints figures; it asserts nothing. Text is generated prose with codes, addresses and links, as a task
that reads a few megabytes would see it, fed in 50 KB snapshots.
"""

import random
import resource
import string
import time

from backend.policy.provenance import Taint, carried


def page(rng: random.Random, vocabulary: list[str]) -> str:
    words = " ".join(rng.choices(vocabulary, k=60))
    name, host = rng.choice(vocabulary), rng.choice(vocabulary)
    return (
        f"{words}. Call {rng.randint(1000, 99_999_999)} or write to {name}@{host}.example, "
        f"id x{rng.randint(10**5, 10**9)}q, https://{host}.example/path?x=1\n"
    )


def main() -> None:
    rng = random.Random(7)
    vocabulary = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(20_000)]
    text = "".join(page(rng, vocabulary) for _ in range(10_000))
    taint = Taint()
    started = time.perf_counter()
    for offset in range(0, len(text), 50_000):
        taint.read(text[offset : offset + 50_000])
    elapsed = time.perf_counter() - started
    megabytes = len(text) / 1e6
    print(f"read: {megabytes:.1f} MB in {elapsed:.2f} s ({megabytes / elapsed:.2f} MB/s)")
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    long_url = "https://evil.example/" + "/".join(rng.choices(vocabulary, k=60)) + "?"
    pairs = zip(rng.choices(vocabulary, k=40), rng.choices(vocabulary, k=40), strict=True)
    long_url += "&".join(f"{key}={value}" for key, value in pairs)
    for url in ("https://other.example/docs/getting-started?lang=en#intro", long_url[:1000]):
        rounds = 200
        started = time.perf_counter()
        for _ in range(rounds):
            carried(url, taint)
        per_call = (time.perf_counter() - started) / rounds
        print(f"carried: a {len(url)}-character URL in {per_call * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
