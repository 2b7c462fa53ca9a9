"""Mail sinks for the reminder fan-out and the tests that run real workers.

`RecordingBackend` hands nothing to the outside world, but pays what Django's
SMTP backend pays in our process: for each message it builds the MIME message
with the SMTP policy and serialises it to bytes, as
django.core.mail.backends.smtp.EmailBackend does before writing them to the
socket. It then records `recipient|Message-ID|size`, so another process can
count what was sent, what was sent twice and what never came: in a Redis list
when REDIS_URL is set (MAIL_SINK_KEY names it), else in a file under the var
directory (the embedded setup has no Redis). Like the SMTP backend it keeps
one connection open from open() to close(), so a batch sent over one
connection costs one connect.

For tests that need a slow or a dying mail server:
- MAIL_SINK_DELAY: seconds to spend on each message;
- MAIL_SINK_HANG_AFTER: after this many messages in this process, say so
  (`hung()` turns true) and hang before handing over the next one, so a test
  can kill the worker in the middle of a batch.

`SmtpSink` is a small SMTP server on 127.0.0.1 that keeps every message's
bytes, for Django's real SMTP backend to talk to.
"""

import email.policy
import os
import socketserver
import threading
import time
from pathlib import Path

import redis
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

DEFAULT_KEY = "mail-sink:mailbox"


def _key() -> str:
    return os.environ.get("MAIL_SINK_KEY", DEFAULT_KEY)


def _file() -> Path:
    return Path(settings.VAR_DIR) / f"{_key().replace(':', '-')}.log"


def _redis():
    return redis.Redis.from_url(settings.REDIS_URL) if settings.REDIS_URL else None


def recorded() -> list[str]:
    """Every `recipient|Message-ID|size` recorded so far, in order."""
    store = _redis()
    if store is not None:
        return [entry.decode() for entry in store.lrange(_key(), 0, -1)]
    path = _file()
    return path.read_text().splitlines() if path.exists() else []


def count() -> int:
    store = _redis()
    if store is not None:
        return store.llen(_key())
    path = _file()
    return path.read_bytes().count(b"\n") if path.exists() else 0


def message_ids() -> list[str]:
    return [entry.split("|")[1] for entry in recorded()]


def clear() -> None:
    store = _redis()
    if store is not None:
        store.delete(_key(), f"{_key()}:hung")
    for path in (_file(), _file().with_suffix(".hung")):
        path.unlink(missing_ok=True)


def hung() -> bool:
    store = _redis()
    if store is not None:
        return bool(store.exists(f"{_key()}:hung"))
    return _file().with_suffix(".hung").exists()


class RecordingBackend(BaseEmailBackend):
    handed_over = 0  # in this process, for MAIL_SINK_HANG_AFTER

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.connection = None

    def open(self):
        if self.connection is not None:
            return False
        self.connection = _redis() or open(_file(), "ab", buffering=0)  # noqa: SIM115 (closed in close())
        return True

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        opened_here = self.open()
        delay = float(os.environ.get("MAIL_SINK_DELAY", "0"))
        hang_after = os.environ.get("MAIL_SINK_HANG_AFTER")
        try:
            for message in email_messages:
                if hang_after is not None and RecordingBackend.handed_over >= int(hang_after):
                    self._say_hung()
                    time.sleep(600)
                if delay:
                    time.sleep(delay)
                mime = message.message(policy=email.policy.SMTP)
                entry = f"{','.join(message.recipients())}|{mime['Message-ID']}|{len(mime.as_bytes())}"
                if isinstance(self.connection, redis.Redis):
                    self.connection.rpush(_key(), entry)
                else:
                    self.connection.write(entry.encode() + b"\n")  # one write: lines never interleave
                RecordingBackend.handed_over += 1
        finally:
            if opened_here:
                self.close()
        return len(email_messages)

    def _say_hung(self):
        store = _redis()
        if store is not None:
            store.set(f"{_key()}:hung", os.getpid())
        else:
            _file().with_suffix(".hung").write_text(str(os.getpid()))


class SmtpSink(socketserver.ThreadingTCPServer):
    """An SMTP server on 127.0.0.1 that accepts everything and keeps the bytes
    of each message (`messages`), in a thread of this process.

        with SmtpSink() as sink:
            ... EMAIL_HOST=127.0.0.1, EMAIL_PORT=sink.port ...
    """

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages: list[bytes] = []
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.shutdown()
        self.server_close()


class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ready")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == "DATA":
                self.reply("354 go ahead")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)  # RFC 5321 dot-stuffing
                with self.server.lock:
                    self.server.messages.append(b"".join(lines))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")
