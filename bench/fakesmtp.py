"""A tiny SMTP server for the fault scenarios: it keeps what it accepts, and can be told to
stall before accepting a message, as a slow mail server does.

A message counts as delivered only once the server has answered 250 to its DATA, as with a
real server: a client that dies while the server stalls has delivered nothing.

    python bench/fakesmtp.py --port 2525          # prints each message it accepts

In a script: `with FakeSMTP(port) as smtp: ...`, then `smtp.messages`, `smtp.about(address)`,
`smtp.stall()`, `smtp.resume()`, `smtp.stalled.wait()`.
"""

import argparse
import asyncio
import email
import email.policy
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Message:
    sender: str
    recipients: list[str]
    subject: str
    body: str
    raw: str
    received_at: float = field(default_factory=time.time)


class FakeSMTP:
    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.host = host
        self.port = port
        self.messages: list[Message] = []
        # Set while a message has arrived and the server holds back its 250.
        self.stalled = threading.Event()
        self._go = threading.Event()
        self._go.set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    # --- control, from any thread ---
    def stall(self) -> None:
        self._go.clear()

    def resume(self) -> None:
        self._go.set()

    def about(self, text: str) -> list[Message]:
        """Messages to `text` or mentioning it (a prospect's address in Reply-To, say)."""
        return [m for m in self.messages if text in m.recipients or text in m.raw]

    def start(self) -> "FakeSMTP":
        self._thread = threading.Thread(target=self._run, daemon=True, name="fakesmtp")
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake SMTP server did not start")
        return self

    def stop(self) -> None:
        self.resume()
        if self._loop and self._server:
            self._loop.call_soon_threadsafe(self._server.close)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(10)

    __enter__ = start

    def __exit__(self, *exc):
        self.stop()

    # --- the server ---
    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._session, self.host, self.port, reuse_address=True)
        )
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            self._loop.close()

    async def _wait_for_go(self, reader: asyncio.StreamReader) -> None:
        """Hold back the 250; a client that hangs up meanwhile has delivered nothing."""
        while not self._go.is_set():
            self.stalled.set()
            await asyncio.sleep(0.05)
            if reader.at_eof():
                self.stalled.clear()
                raise ConnectionError("the client went away before the message was accepted")
        self.stalled.clear()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        async def reply(line: str) -> None:
            writer.write(f"{line}\r\n".encode())
            await writer.drain()

        sender, recipients = "", []
        try:
            await reply("220 fakesmtp ready")
            while line := await reader.readline():
                command = line.decode(errors="replace").strip()
                verb = command.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    await reply("250 fakesmtp")
                elif verb == "MAIL":
                    sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                    await reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(command.split(":", 1)[1].strip(" <>"))
                    await reply("250 OK")
                elif verb == "DATA":
                    await reply("354 End data with <CR><LF>.<CR><LF>")
                    lines = []
                    while (data := await reader.readline()) not in (b".\r\n", b".\n", b""):
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    await self._wait_for_go(reader)
                    parsed = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                    body = parsed.get_body(("plain", "html"))
                    self.messages.append(
                        Message(
                            sender=sender,
                            recipients=recipients,
                            subject=" ".join(str(parsed.get("Subject", "")).split()),
                            body=body.get_content() if body else "",
                            raw=b"".join(lines).decode(errors="replace"),
                        )
                    )
                    await reply("250 OK: queued")
                elif verb == "RSET":
                    sender, recipients = "", []
                    await reply("250 OK")
                elif verb == "NOOP":
                    await reply("250 OK")
                elif verb == "QUIT":
                    await reply("221 Bye")
                    break
                else:
                    await reply("502 Command not implemented")
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away mid-message: nothing was delivered
        finally:
            writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=2525)
    args = parser.parse_args()
    with FakeSMTP(args.port) as smtp:
        print(f"fake SMTP server on 127.0.0.1:{args.port}; Ctrl-C stops it", flush=True)
        seen = 0
        try:
            while True:
                time.sleep(0.5)
                for message in smtp.messages[seen:]:
                    print(f"{message.recipients} {message.subject!r}", flush=True)
                seen = len(smtp.messages)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
