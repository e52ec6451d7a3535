"""GET /hello/python?name=ada -> "Hello, ada, from Python!"
A direct invocation arrives as POST with a JSON body such as {"name":"ada"}."""
from wasmlet import Request, Response, log, text


def handle(request: Request) -> Response:
    name = request.query_param("name")
    if name is None and request.method == "POST":
        body = request.json(default={})
        from_body = body.get("name") if isinstance(body, dict) else None
        name = from_body if isinstance(from_body, str) else None
    name = name or "world"
    log.info(f"greeted {name}")
    return text(200, f"Hello, {name}, from Python!\n")
