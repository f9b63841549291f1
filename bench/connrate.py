#!/usr/bin/env python3
"""Connection set-up rate and latency through a TCP path, and the echo origin it needs.

  connrate.py echo PORT                  serve an echo origin on 127.0.0.1:PORT (asyncio)
  connrate.py run PORT SECONDS WORKERS   open connections back to back from WORKERS tasks for
                                         SECONDS; each: connect, send 1 byte, read the echo, close.
                                         Prints: <connections/s> <p50 ms> <p99 ms> <errors>
The latency is connect + first echoed byte: through a tunnel the connect itself completes at
the edge at once, so the first byte back is the honest 'connection is usable' moment.
"""
import asyncio, sys, time


async def echo(port):
    async def handle(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


async def run(port, seconds, workers):
    samples, errors = [], 0
    deadline = time.perf_counter() + seconds

    async def worker():
        nonlocal errors
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
                writer.write(b"x")
                await writer.drain()
                if await asyncio.wait_for(reader.readexactly(1), 5) != b"x":
                    raise ConnectionError("wrong echo")
                samples.append(time.perf_counter() - start)
                writer.close()
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
                errors += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    elapsed = time.perf_counter() - began
    samples.sort()
    pick = lambda q: samples[min(len(samples) - 1, int(len(samples) * q))] * 1000 if samples else float("nan")
    print(f"{len(samples) / elapsed:.0f} {pick(0.50):.3f} {pick(0.99):.3f} {errors}")


if __name__ == "__main__":
    if sys.argv[1] == "echo":
        asyncio.run(echo(int(sys.argv[2])))
    else:
        asyncio.run(run(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])))
