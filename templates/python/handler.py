"""GET /<route>?name=ada -> "Hello, ada, from Python!" """
from wasmlet import Request, Response, log, text  # the SDK ({{wasmlet_root}}/sdk/python), added by the build recipe

from greeting import greeting


def handle(request: Request) -> Response:
    """Raising is a guest error: the host answers 500 and logs the message."""
    name = request.query_param("name") or ""
    log.info(f"greeting {name or 'the world'}")
    return text(200, greeting(name))
