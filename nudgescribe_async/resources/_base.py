"""What every resource class shares: a sender, the config, and one way to call the API.

A resource is built from what it sends with (a :class:`~nudgescribe_async._sender.Sender` and
the client's :class:`~nudgescribe_async._config.ClientConfig`), never from the client itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from nudgescribe_async._convert import structure_response
from nudgescribe_async._endpoints import Endpoint
from nudgescribe_async._errors import RequestValidationError, ResponseDecodeError
from nudgescribe_async._outgoing import check_headers, form_text, require_mapping
from nudgescribe_async._secrets import Secret, scrub_error
from nudgescribe_async._types import NO_OPTIONS, CallOptions, FormPart, RequestSpec
from nudgescribe_async.resources._validate import require_timeout

if TYPE_CHECKING:
    from nudgescribe_async._adaptive import AdaptiveLimiter
    from nudgescribe_async._config import ClientConfig
    from nudgescribe_async._sender import Sender

__all__ = ["AsyncResource", "PagedResource", "checked"]

_M = TypeVar("_M")


class AsyncResource:
    """Base of the resource classes behind the client's attributes."""

    def __init__(self, sender: Sender, config: ClientConfig) -> None:
        self._sender = sender
        self._config = config

    def _url(self, path: str) -> str:
        return self._sender.url_text(path)

    async def _call(
        self,
        endpoint: Endpoint,
        body: Mapping[str, Any] | None,
        model: type[_M],
        options: CallOptions = NO_OPTIONS,
        *,
        key: str | None = None,
        form: list[FormPart] | None = None,
    ) -> _M:
        """Send one call and structure its answer (or its ``key`` member) into ``model``.

        ``options.extra_body`` keys are merged over ``body`` so users can send what we don't
        model.
        """
        # No local holds the answer: a traceback that captures locals must not show it.
        return self._decode(
            await self._raw(endpoint, body, options, form=form), model, endpoint.path, key=key
        )

    def _decode(self, data: Any, model: type[_M], path: str, *, key: str | None = None) -> _M:
        """Structure the decoded JSON answer of ``path`` (or its ``key`` member) into ``model``.

        :meth:`_call` is :meth:`_raw` then this; pagers call the two apart, so that decoding
        happens after the page gives back its in-flight slot.
        """
        try:
            return structure_response(data, model, url=self._url(path), key=key)
        except ResponseDecodeError as exc:
            # The error names the path and shows a scrubbed excerpt. The decoder's frames hold
            # the body as received (a server may echo credentials), so they are not kept:
            # a traceback that captures locals must not show it.
            del data
            raise scrub_error(exc).with_traceback(None) from None

    async def _raw(
        self,
        endpoint: Endpoint,
        body: Mapping[str, Any] | None,
        options: CallOptions = NO_OPTIONS,
        *,
        form: list[FormPart] | None = None,
    ) -> Any:
        """Send one call; return the decoded JSON answer, not yet structured."""
        extra, headers = checked(options)
        if form is not None:
            form = form + [
                FormPart(_form_name(k), form_text(f"extra_body[{k!r}]", v))
                for k, v in extra.items()
            ]
            json_body = None
        else:
            json_body = {**(body or {}), **extra}
        spec = RequestSpec(
            endpoint, json=json_body, form=form, headers=headers, timeout=options.timeout
        )
        return await self._sender.send(spec)


def checked(options: CallOptions) -> tuple[Mapping[str, Any], dict[str, str | Secret]]:
    """The extra body and headers of ``options``, every value checked before any I/O."""
    # A bad per-call timeout would otherwise surface only after authenticating.
    require_timeout(options.timeout)
    return require_mapping("extra_body", options.extra_body), check_headers(options.extra_headers)


class PagedResource(AsyncResource):
    """A resource with pagers: they share the client's adaptive limiter (``concurrency="auto"``)."""

    def __init__(self, sender: Sender, config: ClientConfig, limiter: AdaptiveLimiter) -> None:
        super().__init__(sender, config)
        self._limiter = limiter


def _form_name(name: object) -> str:
    if not isinstance(name, str) or not name:
        raise RequestValidationError("extra_body", f"keys must be non-empty str, got {name!r}")
    return name
