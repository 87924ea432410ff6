"""Per-request context (client IP) for services that audit without a request object."""

from contextvars import ContextVar

client_ip: ContextVar[str] = ContextVar("client_ip", default="")
