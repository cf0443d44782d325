"""Python asyncio + aiohttp baseline, driven by the benchmark over stdin against its own delay server.

Each line in is "N C BASE_URL"; the answer is one line out: the wall time in ms of N GETs of BASE_URL/item/0..N-1
with at most C in flight, every answer 200 (a 503 is retried inside its slot after its Retry-After, as a hand-written
asyncio loop would), or "error ..." on a failure. One process serves every run, so that its first run can be left
out of the warm medians as the other contenders' are. By hand:
    echo "2000 100 http://127.0.0.1:PORT" | python3 bench/aiohttp_baseline.py
with the delay server from: java -jar bench/target/caravan-bench.jar --serve PORT 50
"""
import asyncio
import sys
import time

from aiohttp import ClientSession, TCPConnector


async def fanout(session, n, c, base):
    sem = asyncio.Semaphore(c)

    async def get(i):
        async with sem:
            while True:
                async with session.get(f"{base}/item/{i}") as r:
                    await r.read()
                    if r.status == 503 and "Retry-After" in r.headers:
                        await asyncio.sleep(float(r.headers["Retry-After"]))
                        continue
                    if r.status != 200:
                        raise RuntimeError(f"item {i}: HTTP {r.status}")
                    return

    t0 = time.perf_counter()
    await asyncio.gather(*(get(i) for i in range(n)))
    return (time.perf_counter() - t0) * 1000


async def main():
    loop = asyncio.get_running_loop()
    sessions = {}  # one per concurrency: its connector's pool is sized to it
    try:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line.strip():
                break
            n, c, base = line.split()
            n, c = int(n), int(c)
            if c not in sessions:
                sessions[c] = ClientSession(connector=TCPConnector(limit=c))
            try:
                ms = await fanout(sessions[c], n, c, base)
                print(f"{ms:.0f}", flush=True)
            except Exception as e:  # the driver reports it and stops
                print(f"error {type(e).__name__}: {e}".replace("\n", " "), flush=True)
    finally:
        for session in sessions.values():
            await session.close()


if __name__ == "__main__":
    asyncio.run(main())
