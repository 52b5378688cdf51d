"""Fuzzing the API over HTTP: whatever a client sends, the answer is never a server error (5xx).

Schemathesis generates requests from /openapi.json (with the station's valid token, to get past auth into every
route); Hypothesis adds paths, headers and bodies outside the schema, with good, wrong and garbled tokens.
Both are bounded in examples, so the file runs well under a minute.
"""

from __future__ import annotations

import string
from urllib.parse import quote

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.server.conftest import DAY, HOME_CODE, OTHER_CODE, Site

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
    database=None,
)


def test_no_request_from_the_schema_gets_a_5xx(site: Site, base_url: str) -> None:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    for operation in operations:
        # Valid requests and invalid ones (wrong types, patterns, bounds), as the schema describes them.
        modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        cases = st.one_of(*(operation.as_strategy(mode) for mode in modes))

        @FUZZ
        @given(case=cases)
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=site.auth(), timeout=30)
            assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])

        check()


SEGMENTS = st.one_of(
    st.sampled_from([HOME_CODE, OTHER_CODE, DAY.isoformat(), f"{DAY}.m3u8", "..", ".", "%2F", "%2e%2e", "%00"]),
    st.text(string.ascii_letters + string.digits + "-._~%/\\:;@", max_size=30),
    st.text(max_size=12).map(lambda text: quote(text, safe="")),
    st.just("9" * 300),
)
PATHS = st.one_of(
    st.builds(lambda parts: "/api/v1/stations/" + "/".join(parts), st.lists(SEGMENTS, min_size=1, max_size=4)),
    st.builds(lambda seg: f"/api/v1/stations/{HOME_CODE}/days/{seg}", SEGMENTS),
    st.builds(lambda seg: f"/api/v1/audio/{seg}.mp3", SEGMENTS),
)
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80)


@st.composite
def requests(draw: st.DrawFn, site: Site) -> tuple[str, str, dict[str, str], bytes]:
    token = draw(st.sampled_from([site.token, site.other_token, "bst_" + "x" * 43, "", "Bearer"]))
    authorization = draw(st.sampled_from([f"Bearer {token}", token, f"Basic {token}"]) | HEADER_TEXT)
    headers = {"Authorization": authorization.strip()}
    for name in draw(st.lists(st.sampled_from(["If-None-Match", "Range", "If-Range", "Content-Type"]), max_size=3)):
        headers[name] = draw(HEADER_TEXT | st.sampled_from(['"x"', "*", "bytes=0-", "bytes=-0", "bytes=9-1"])).strip()
    method = draw(st.sampled_from(["GET", "POST", "HEAD", "PUT"]))
    body = draw(
        st.one_of(
            st.just(b""),
            st.binary(max_size=200),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                max_leaves=12,
            ).map(lambda value: httpx.Request("POST", "http://x", json={"entries": [value]}).content),
        )
    )
    return method, draw(PATHS), headers, body


def test_no_request_outside_the_schema_gets_a_5xx(site: Site, base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=30) as client:

        @FUZZ
        @given(request=requests(site))
        def check(request: tuple[str, str, dict[str, str], bytes]) -> None:
            method, path, headers, body = request
            answer = client.request(method, path, headers=headers, content=body or None)
            assert answer.status_code < 500, (method, path, headers, answer.text[:300])

        check()
