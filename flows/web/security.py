"""Passwords, secret links, CSRF tokens, the login throttle and the security headers of every response."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 12

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def hash_password(password: str) -> str:
    """An argon2id hash of the password (salted), as the users table keeps it."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Does the password match the stored hash? A malformed hash answers False, never an error."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the e-mail is unknown, so a wrong e-mail costs the same time as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def verify_or_waste(stored_hash: str | None, password: str) -> bool:
    """Check the password against `stored_hash`; with no such user, spend as long on a dummy hash and answer False."""
    if stored_hash is None:
        verify_password(_DUMMY_HASH, password)
        return False
    return verify_password(stored_hash, password)


def new_link_token() -> str:
    """256 random bits: a link cannot be guessed, so storing its plain SHA-256 is enough."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The SHA-256 (hex) of a link token: what the database keeps and looks links up by."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_csrf_token() -> str:
    """A fresh random CSRF token (192 bits) for a session's forms."""
    return secrets.token_urlsafe(24)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    """True only when both tokens are there and equal, compared in constant time."""
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


class LoginThrottle:
    """Failed logins slow a client down and lock one account; they never lock anyone else out.

    Per account: after `limit` failures in `window` seconds that account refuses every password, the right
    one too, until the window passes; another account's right password never meets that lock. Per client
    (the address, or the trusted proxy's header): past `limit` failures each attempt waits longer, doubling
    up to `max_delay`, so a guesser spraying many accounts is slowed, but behind a proxy that gives every
    visitor one address nobody is locked out. In memory: a restart forgets, which only ever helps a
    legitimate user; one server process is assumed.
    """

    MAX_KEYS = 10_000  # accounts and clients with recent failures kept in memory before a sweep

    def __init__(self, limit: int = 5, window: float = 900.0, max_delay: float = 8.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.max_delay, self.clock = limit, window, max_delay, clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque[float]:
        stamps = self._failures[key]
        while stamps and self.clock() - stamps[0] > self.window:
            stamps.popleft()
        if not stamps:
            del self._failures[key]  # memory stays bounded by the keys that failed recently
            return deque()
        return stamps

    def account_locked(self, email: str) -> bool:
        """Has this account had `limit` failed logins within the window?"""
        with self._lock:
            return len(self._recent(f"account:{email[:320]}")) >= self.limit

    def client_delay(self, client: str) -> float:
        """Seconds this client waits before its next attempt is checked: 0 until it passes `limit` failures."""
        with self._lock:
            over = len(self._recent(f"client:{client[:64]}")) - self.limit
        return 0.0 if over < 0 else min(self.max_delay, 0.25 * 2 ** over)

    def fail(self, email: str, client: str) -> None:
        """Count one failed login against the account and the client (memory stays bounded: past
        MAX_KEYS keys, those with nothing left in the window are dropped)."""
        with self._lock:
            for key in (f"account:{email[:320]}", f"client:{client[:64]}"):
                self._failures[key].append(self.clock())
            if len(self._failures) > self.MAX_KEYS:
                for key in list(self._failures):
                    self._recent(key)

    def succeeded(self, email: str) -> None:
        """Forget the account's failures (a right password outside a lock)."""
        with self._lock:
            self._failures.pop(f"account:{email[:320]}", None)


class SecurityHeaders:
    """Adds CSP (no inline script, no framing), nosniff, no referrer and no caching of private pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on and add the security headers to its answer (no-store except under /static/)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"content-security-policy" for name, _ in headers):
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                headers += [(b"x-content-type-options", b"nosniff"),
                            (b"x-frame-options", b"DENY"),
                            (b"referrer-policy", b"no-referrer"),  # secret links never leak through Referer
                            (b"cross-origin-opener-policy", b"same-origin")]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class UploadTooLarge(Exception):
    """The request body passed the cap while it was arriving; nothing of it is kept."""


def capped_receive(receive: Receive, max_bytes: int) -> Receive:
    """Wrap an ASGI receive so that reading past `max_bytes` raises instead of buffering the rest."""
    seen = 0

    async def limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > max_bytes:
                raise UploadTooLarge(seen)
        return message

    return limited
