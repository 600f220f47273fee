#!/usr/bin/env python3
"""The disk's own commit limit, for comparison with escalate's durable events/s: single-row SQLite transactions in
WAL mode with synchronous = FULL (an fsync of the WAL per commit, as escalate's store runs), on the file system of
the given folder (default: the system's temporary folder, where the benchmark's databases live).

Usage: scripts/bench/disk_limit.py [--commits 2000] [--folder /tmp]
"""
import argparse, os, sqlite3, tempfile, time

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--folder", default=tempfile.gettempdir())
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="escalate-disk-", dir=args.folder)
    path = os.path.join(folder, "limit.sqlite")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    body = "x" * 1_000  # about an incident's state row
    start = time.perf_counter()
    for index in range(args.commits):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (body) VALUES (?)", (body,))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except OSError:
            pass
    os.rmdir(folder)
    print(f"disk limit: {args.commits} single-row SQLite commits (WAL, synchronous = FULL) in {elapsed:.3f} s = "
          f"{args.commits / elapsed:.0f} commits/s on {args.folder}")

if __name__ == "__main__":
    main()
