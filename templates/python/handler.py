"""GET /<route>?name=ada -> "Hello, ada, from Python!" """
from urllib.parse import parse_qs

from wasmlet import Response  # the SDK ({{wasmlet_root}}/sdk/python), added by the build recipe

from greeting import greeting


def handle(request):
    """request has the fields of the contract's http-request: method, path, query, headers, body.

    Raising is a guest error: the host answers 500 and logs the message.
    """
    name = parse_qs(request.query).get("name", [""])[0]
    return Response(
        status=200,
        headers=[("content-type", "text/plain; charset=utf-8")],
        body=greeting(name).encode("utf-8"),
    )
