"""A TCP proxy on loopback that can stop forwarding and resume: a database that hangs, without touching it.

`PausableProxy(target_port=5432).start()` listens on a free loopback port and forwards every connection
to the target. `pause()` stops forwarding in both directions while keeping every connection open and
accepting new ones (a hang, not a refusal: bytes are held, nothing is answered); `resume()` sends the
held bytes on. It runs its own asyncio loop in a daemon thread; used by bench/fault.py and the tests.
"""

import asyncio
import contextlib
import threading

CHUNK = 64 * 1024


class PausableProxy:
    """Forwards loopback TCP connections to one target; pause() holds every byte until resume()."""

    def __init__(self, *, target_port: int, target_host: str = "127.0.0.1", listen_port: int = 0) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.listen_port = listen_port
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._forwarding: asyncio.Event | None = None
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)

    def start(self) -> "PausableProxy":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=10)
        return self

    async def _listen(self) -> None:
        self._forwarding = asyncio.Event()
        self._forwarding.set()
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.listen_port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            client_writer.close()
            return
        self._writers |= {client_writer, server_writer}
        await asyncio.gather(self._pump(client_reader, server_writer), self._pump(server_reader, client_writer))
        self._writers -= {client_writer, server_writer}

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert self._forwarding is not None
        try:
            while data := await reader.read(CHUNK):
                await self._forwarding.wait()
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    def pause(self) -> None:
        """Stop forwarding: connections stay open and new ones are accepted, but no byte goes through."""
        self._loop.call_soon_threadsafe(self._forwarding.clear)

    def resume(self) -> None:
        """Forward again, the held bytes first."""
        self._loop.call_soon_threadsafe(self._forwarding.set)

    def close(self) -> None:
        """Stop listening, drop every connection and stop the loop's thread."""

        async def shut() -> None:
            if self._server is not None:
                self._server.close()
            for writer in list(self._writers):
                writer.close()
            assert self._forwarding is not None
            self._forwarding.set()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shut(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def __enter__(self) -> "PausableProxy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
