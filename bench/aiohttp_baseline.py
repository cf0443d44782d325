"""Python asyncio + aiohttp baseline: N GETs, at most C in flight, to an in-process delay server."""
import asyncio
import statistics
import sys
import time

from aiohttp import ClientSession, TCPConnector, web


async def serve(delay_ms):
    async def item(request):
        await asyncio.sleep(delay_ms / 1000)
        return web.json_response({"path": request.path})

    app = web.Application()
    app.router.add_get("/item/{n}", item)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


async def fanout(n, c, d, reps):
    runner, port = await serve(d)
    times = []
    async with ClientSession(connector=TCPConnector(limit=c)) as session:
        sem = asyncio.Semaphore(c)

        async def get(i):
            async with sem:
                async with session.get(f"http://127.0.0.1:{port}/item/{i}") as r:
                    await r.read()
                    assert r.status == 200

        for _ in range(reps + 1):
            t0 = time.perf_counter()
            await asyncio.gather(*(get(i) for i in range(n)))
            times.append((time.perf_counter() - t0) * 1000)
    await runner.cleanup()
    warm = statistics.median(times[1:])
    floor = n * d / c
    print(f"aiohttp_{n}_{c}_{d}_ratio={warm / floor:.2f}")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    reps = 3 if quick else 7
    for n, c, d in ((2000, 100, 50), (10000, 500, 20), (4000, 1000, 200)):
        asyncio.run(fanout(n, c, d, reps))
