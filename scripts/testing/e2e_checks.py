"""What the end-to-end scripts share: counted checks that print what failed, and a free loopback port."""
import signal, socket, subprocess


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


def wait_or_kill(process, timeout):
    """Waits for a process to end; kills it if it has not within `timeout` seconds."""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stop(process, timeout=10):
    """Stops a server as an operator would (SIGTERM), killing it if it has not ended within `timeout` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    wait_or_kill(process, timeout)
