#!/usr/bin/env python3
"""A private PostgreSQL server for tests: initdb in a temporary folder, run by an unprivileged user (the current one,
or `postgres`/`nobody` when run as root, since PostgreSQL refuses to run as root), listening on 127.0.0.1 on a free
port and a socket in that folder only, with a random password (SCRAM). It is stopped and deleted at the end.

Usage: scripts/testing/pg_server.py [--print-url] -- COMMAND [ARG...]
  runs COMMAND with ESCALATE_TEST_POSTGRES_URL=postgres://escalate:PASSWORD@127.0.0.1:PORT/escalate and returns
  its exit status. As a module: `with PostgresServer() as server: server.url`.
Needs PostgreSQL's server binaries (initdb, pg_ctl; Debian: apt-get install postgresql).
"""
import glob, os, pwd, secrets, shutil, signal, socket, subprocess, sys, tempfile

def find(tool):
    path = shutil.which(tool)
    if path:
        return path
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))
    return candidates[-1] if candidates else None

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

class PostgresServer:
    def __init__(self, max_connections=300):
        self.initdb, self.pg_ctl = find("initdb"), find("pg_ctl")
        if not self.initdb or not self.pg_ctl:
            sys.exit("pg_server: PostgreSQL's initdb and pg_ctl are not installed (Debian: apt-get install postgresql)")
        self.max_connections = max_connections
        self.password = secrets.token_hex(16)
        self.port = free_port()
        self.folder = None

    def _as_user(self, command, **kwargs):
        if os.geteuid() == 0:
            command = ["runuser", "-u", self.user, "--"] + command
        return subprocess.run(command, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="escalate-pg-")
        self.user = pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            self.user = "postgres" if any(p.pw_name == "postgres" for p in pwd.getpwall()) else "nobody"
            os.chmod(self.folder, 0o700)
            os.chown(self.folder, pwd.getpwnam(self.user).pw_uid, pwd.getpwnam(self.user).pw_gid)
        data, passfile = os.path.join(self.folder, "data"), os.path.join(self.folder, "password")
        with open(passfile, "w") as handle:
            handle.write(self.password + "\n")
        if os.geteuid() == 0:
            os.chown(passfile, pwd.getpwnam(self.user).pw_uid, -1)
        try:
            self._as_user([self.initdb, "-D", data, "-U", "escalate", "--auth=scram-sha-256", f"--pwfile={passfile}", "-E", "UTF8",
                           "--no-locale"])
            options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c max_connections={self.max_connections} "
                       "-c fsync=off -c full_page_writes=off")
            self._as_user([self.pg_ctl, "-D", data, "-l", os.path.join(self.folder, "server.log"), "-o", options, "-w", "-t", "60", "start"])
            self._sql("CREATE DATABASE escalate")
        except subprocess.CalledProcessError as error:
            log = os.path.join(self.folder, "server.log")
            tail = open(log).read()[-2000:] if os.path.exists(log) else ""
            self.__exit__(None, None, None)
            sys.exit(f"pg_server: {' '.join(error.cmd[:6])}… failed:\n{error.stdout}\n{tail}")
        return self

    def _sql(self, statement, database="postgres"):
        env = dict(os.environ, PGPASSWORD=self.password)
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "escalate", "-d", database, "-v", "ON_ERROR_STOP=1", "-qc", statement],
                       check=True, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def create_database(self, name):
        """A new empty database on this server; returns its URL."""
        self._sql(f"CREATE DATABASE {name}")
        return self.url_for(name)

    def url_for(self, database):
        return f"postgres://escalate:{self.password}@127.0.0.1:{self.port}/{database}"

    @property
    def url(self):
        return self.url_for("escalate")

    @property
    def redacted_url(self):
        return f"postgres://escalate:***@127.0.0.1:{self.port}/escalate"

    def __exit__(self, *exc):
        if self.folder is None:
            return False
        data = os.path.join(self.folder, "data")
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            try:
                self._as_user([self.pg_ctl, "-D", data, "-m", "immediate", "-w", "-t", "30", "stop"])
            except subprocess.CalledProcessError as error:
                print(f"pg_server: stopping the server failed: {error.stdout}", file=sys.stderr)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None
        return False

def stop_on_sigterm():
    """A SIGTERM (a CI timeout, `timeout`) unwinds like Ctrl-C, so the server is stopped and its folder deleted."""
    def handler(number, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, handler)

def main():
    stop_on_sigterm()
    arguments = sys.argv[1:]
    if "--" not in arguments or arguments.index("--") == len(arguments) - 1:
        sys.exit(__doc__)
    command = arguments[arguments.index("--") + 1:]
    with PostgresServer() as server:
        print(f"pg_server: PostgreSQL on {server.redacted_url} (folder {server.folder})", file=sys.stderr)
        env = dict(os.environ, ESCALATE_TEST_POSTGRES_URL=server.url, ESCALATE_TEST_POSTGRES_DATA=os.path.join(server.folder, "data"))
        child = subprocess.Popen(command, env=env)
        try:
            return child.wait()
        except KeyboardInterrupt:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
            return 130

if __name__ == "__main__":
    sys.exit(main())
