"""The function's logic, apart from the SDK so that unittest can test it natively."""


def greeting(name: str) -> str:
    """ "Hello, ada, from Python!\n"; an empty name greets the world."""
    return f"Hello, {name or 'world'}, from Python!\n"
