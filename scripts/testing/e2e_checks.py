"""What the end-to-end scripts share: counted checks that print what failed, and a free loopback port."""
import socket


class Failure(Exception):
    """A check failed that the rest of its part depends on."""


class Checks:
    """Counts passed and failed checks; a failed one is printed at once, prefixed with the script's name."""

    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, condition, message):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"{self.name}: FAILED: {message}", flush=True)
        return condition

    def require(self, condition, message):
        if not self.check(condition, message):
            raise Failure(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
