"""RedirectGuardMiddleware: a 302 to the same URL that sets a cookie (openresty's CT6T wall)
is let through, a redirect that goes round is a logged failure of its step."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from crawler.middlewares import RedirectGuardMiddleware

URL = "http://www.qujiang.gov.cn/html/channel_12.html"


def _self_redirect(cookie: str | None = "CT6T=ok; path=/") -> Response:
    headers = {"Location": URL}
    if cookie is not None:
        headers["Set-Cookie"] = cookie
    return Response(URL, status=302, headers=headers)


def _sent(request: Request, cookie: str | None) -> Request:
    """The request as CookiesMiddleware sends it: the jar's cookies in its Cookie header."""
    if cookie:
        request.headers["Cookie"] = cookie
    return request


def test_a_self_redirect_that_sets_a_cookie_goes_back_with_it():
    guard = RedirectGuardMiddleware()
    request = _sent(Request(URL), None)
    response = _self_redirect()
    assert guard.process_response(request, response) is response
    assert request.dont_filter  # the redirected copy passes the dupefilter


def test_a_resumed_request_that_counted_self_redirects_in_killed_sessions_still_passes():
    """Each session of a JOBDIR crawl killed again and again starts with an empty cookie jar,
    so the portal sends its cookie again each time: the count the request carries grew in every
    session, but the cookie it is sent now is one it did not send."""
    guard = RedirectGuardMiddleware()
    request = _sent(Request(URL, meta={"nb_self_redirects": 5, "redirect_urls": [URL] * 5}), None)
    response = _self_redirect()
    assert guard.process_response(request, response) is response


@pytest.mark.parametrize(
    "sent, set_cookie",
    [
        ("CT6T=ok", "CT6T=ok; path=/"),  # the cookie went back and the server asks again
        ("a=1; CT6T=ok", "CT6T=ok; Path=/; HttpOnly"),
        (None, None),  # no cookie at all: a plain loop
    ],
)
def test_a_self_redirect_with_nothing_new_is_a_loop_past_its_allowance(sent, set_cookie, caplog):
    guard = RedirectGuardMiddleware()
    meta = {"nb_self_redirects": RedirectGuardMiddleware.SELF_REDIRECTS}
    request = _sent(Request(URL, meta=meta), sent)
    with pytest.raises(IgnoreRequest, match="redirect loop"):
        guard.process_response(request, _self_redirect(set_cookie))
    assert "redirect loop" in caplog.text and URL in caplog.text


def test_a_self_redirect_with_a_new_cookie_value_passes_even_past_the_allowance():
    guard = RedirectGuardMiddleware()
    meta = {"nb_self_redirects": RedirectGuardMiddleware.SELF_REDIRECTS}
    request = _sent(Request(URL, meta=meta), "CT6T=stale")
    response = _self_redirect("CT6T=ok; path=/")
    assert guard.process_response(request, response) is response


def test_a_redirect_back_to_an_earlier_url_of_the_chain_is_a_loop():
    guard = RedirectGuardMiddleware()
    other = "http://www.qujiang.gov.cn/r/loop-b.html"
    request = Request(other, meta={"redirect_urls": [URL]})
    response = Response(other, status=302, headers={"Location": URL, "Set-Cookie": "x=1"})
    with pytest.raises(IgnoreRequest):
        guard.process_response(request, response)
