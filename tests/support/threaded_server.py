"""A FastAPI app under a real uvicorn server in a background thread, on a free 127.0.0.1 port.

For tests whose client is synchronous (schemathesis ``case.call``): the app keeps whatever the
test preset on ``app.state`` (authenticator, clients) and runs its lifespan as in production.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

START_TIMEOUT_SECONDS = 20.0


@contextmanager
def served_in_thread(app: FastAPI) -> Iterator[str]:
    """Yield the server's base URL; stop the server (and its lifespan) afterwards."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not server.started:
            assert thread.is_alive(), "the server stopped while starting"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT_SECONDS)
