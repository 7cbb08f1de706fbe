#!/usr/bin/env python3
"""Local AWS emulator for Jamie: moto's server, made safe for concurrent use.

    serve.py [--host 127.0.0.1] [--port 4566] [--state FILE]
             [--exit-with-parent PID] [--verbose]

Serves DynamoDB, SQS, SES (v1 and v2), EventBridge, EventBridge Scheduler and S3
(and every other moto service) on one loopback port, using the same WSGI
dispatcher as moto's own `moto_server`. It differs from `moto_server` in these
ways, all explained in docs/local-stack.md:

1. One global lock is held around the whole handling of every request
   (including draining the response body), granted first come, first served
   (so no request starves behind newer ones under a sustained load). Stock moto is not thread-safe: its
   DynamoDB TransactWriteItems deep-copies the table, checks conditions without
   a lock and restores the copy on failure, so racing transactions overbook
   and break uniqueness. The lock is released only while an SQS ReceiveMessage
   long-poll is waiting for messages, so a long-polling worker does not stall
   everything else.
2. moto's instance tracker (every model object ever created is kept in a
   per-class list, for the /moto-api dashboard) is switched off, so memory no
   longer grows with every transaction.
3. A failed TransactWriteItems rolls back only the items it names, instead of
   moto's copy of the whole table (same results; the cost follows the size of
   the transaction, not of the table).
4. `--state FILE` restores the emulated resources at start and saves them on
   SIGINT/SIGTERM and every ~10 s after a request (atomic temp file + rename).
5. It prints exactly one line, `READY http://127.0.0.1:<port>`, on stdout once
   it accepts connections, and nothing else on stdout afterwards. Request logs
   are off unless --verbose (then on stderr); errors go to stderr.
6. `--exit-with-parent PID` makes it exit when that process is gone.

Exit status: 0 after SIGINT/SIGTERM or when the --exit-with-parent process is
gone; 1 if the save on SIGINT/SIGTERM fails; 2 on bad arguments or when the
port cannot be bound.
"""

from __future__ import annotations

import argparse
import collections
import copyreg
import io
import json
import os
import pickle
import signal
import socket
import sys
import threading
import time

# --------------------------------------------------------------------------
# 1. Stop moto's instance tracking. This must run before any moto backend
#    module is imported (importing moto.core.common_models does not import
#    any backend).
#
#    moto.core.common_models.BaseModel.__new__ appends every new instance to
#    `cls.instances_tracked`, a per-class list that only the /moto-api
#    dashboard reads. Nothing is ever removed, and DynamoDB's
#    TransactWriteItems deep-copies the whole table (creating a new instance
#    per item) on every call, so memory grows with transactions x table size.
#    We replace __new__ with one that tracks nothing. Assigning __new__ on the
#    base class also updates every subclass that inherits it.
# --------------------------------------------------------------------------
from moto.core.common_models import BaseModel  # noqa: E402


def _untracked_new(cls, *args, **kwargs):  # noqa: ARG001 - same signature as moto's
    return object.__new__(cls)


BaseModel.__new__ = staticmethod(_untracked_new)  # type: ignore[method-assign]

import moto  # noqa: E402
from moto.backends import get_backend  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server  # noqa: E402

# Services Jamie uses. Their apps are built before READY (so the first request
# is not slow) and their backends are what --state saves. Services in one
# group are pickled together because their objects reference each other
# (the sesv2 backend holds a reference to the ses backend).
SERVICE_GROUPS: list[tuple[str, ...]] = [
    ("dynamodb",),
    ("s3",),
    ("sqs",),
    ("ses", "sesv2"),
    ("events",),
    ("scheduler",),
]
SERVICES = [name for group in SERVICE_GROUPS for name in group]

STATE_FORMAT = 1
SAVE_INTERVAL_SECONDS = 10.0

# --------------------------------------------------------------------------
# 2. The global request lock, and the moto patches that go with it.
# --------------------------------------------------------------------------
class FairLock:
    """A lock granted in the order it was asked for. threading.Lock is not fair:
    a thread that arrives while the lock is being released can take it ahead
    of threads already waiting, so under a sustained load of hundreds of
    concurrent requests some request can wait past a client's timeout while
    newer ones are served. Here each waiter queues behind the others, and a
    release hands the lock straight to the first of them."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiters: collections.deque[threading.Lock] = collections.deque()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            if not blocking:
                return False
            waiter = threading.Lock()
            waiter.acquire()
            self._waiters.append(waiter)
        if waiter.acquire(timeout=timeout):
            return True  # handed over by release()
        with self._mutex:
            try:
                self._waiters.remove(waiter)
                return False
            except ValueError:
                pass  # handed over just as the wait timed out: it is ours
        waiter.acquire()
        return True

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()  # still held: now by the next waiter
            else:
                self._held = False

    def __enter__(self) -> "FairLock":
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


REQUEST_LOCK = FairLock()
_tls = threading.local()  # .holding: this thread holds REQUEST_LOCK for a request
_requests_handled = 0  # changed only while REQUEST_LOCK is held


def _buffer_request_body(environ: dict) -> None:
    """Read the request body into memory before taking the lock, so a slow
    upload does not hold up every other request."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return
    length = environ.get("CONTENT_LENGTH", "")
    if length.isdigit():
        data = stream.read(int(length)) if int(length) > 0 else b""
    elif environ.get("wsgi.input_terminated"):  # chunked: werkzeug de-chunks it
        data = stream.read()
    else:
        return
    environ["wsgi.input"] = io.BytesIO(data)


class LockedApp:
    """WSGI middleware: run the wrapped app, and drain its response, while
    holding REQUEST_LOCK, so moto only ever handles one request at a time."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        global _requests_handled
        _buffer_request_body(environ)
        if environ.get("PATH_INFO") == SES_RECEIVED_PATH:
            with REQUEST_LOCK:
                body = _ses_received(environ.get("QUERY_STRING", ""))
            start_response("200 OK", [("Content-Type", "application/json")])
            return [body]
        with REQUEST_LOCK:
            _tls.holding = True
            try:
                result = self.app(environ, start_response)
                try:
                    body = b"".join(result)
                finally:
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()  # Flask's teardown runs here, inside the lock
            finally:
                _tls.holding = False
                _requests_handled += 1
        return [body]


SES_RECEIVED_PATH = "/_jamie/ses/received"


def _patch_sesv2_keep_requests() -> None:
    """moto's SES v2 keeps only the HTML body of a Simple message (no text part,
    no attachments, no Reply-To, no tags). The dev mailbox and the tests must see
    what SES received, so keep each accepted SendEmail request whole, with the
    message id moto answered, on the backend (saved with the rest of the state)."""
    from moto.sesv2.responses import SESV2Response

    original = SESV2Response.send_email

    def send_email(self):
        result = original(self)
        params = json.loads(self.body)
        received = self.sesv2_backend.__dict__.setdefault("jamie_received", [])
        received.append(
            {
                "MessageId": json.loads(result)["MessageId"],
                "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "Sequence": len(received),
                "Request": params,
            }
        )
        return result

    SESV2Response.send_email = send_email


def _ses_received(query: str) -> bytes:
    """Every SendEmail request SES v2 accepted, oldest first; with
    `configuration_set=NAME` only those sent with that configuration set, with
    `id=MESSAGE_ID` only that one, with `summary=1` without bodies."""
    from urllib.parse import parse_qs

    from moto.sesv2.models import sesv2_backends

    params = parse_qs(query)
    wanted = params.get("configuration_set", [None])[0]
    only = params.get("id", [None])[0]
    summary = params.get("summary", ["0"])[0] == "1"
    found = []
    for _account, regions in list(sesv2_backends.items()):
        for _region, backend in list(regions.items()):
            for message in backend.__dict__.get("jamie_received", []):
                if wanted is not None and message["Request"].get("ConfigurationSetName") != wanted:
                    continue
                if only is not None and message["MessageId"] != only:
                    continue
                found.append(_summary(message) if summary else message)
    found.sort(key=lambda message: (message["Timestamp"], message["Sequence"]))
    return json.dumps(found).encode()


def _summary(message: dict) -> dict:
    """A received email without its bodies and attachments: who, what, when."""
    request = message["Request"]
    simple = request.get("Content", {}).get("Simple", {})
    return {
        "MessageId": message["MessageId"],
        "Timestamp": message["Timestamp"],
        "Sequence": message["Sequence"],
        "Request": {
            "FromEmailAddress": request.get("FromEmailAddress"),
            "Destination": request.get("Destination", {}),
            "ReplyToAddresses": request.get("ReplyToAddresses", []),
            "EmailTags": request.get("EmailTags", []),
            "ConfigurationSetName": request.get("ConfigurationSetName"),
            "Content": {"Simple": {"Subject": simple.get("Subject", {})}},
        },
    }


def _patch_sqs_long_polling() -> None:
    """ReceiveMessage with WaitTimeSeconds loops in moto, calling
    Queue.wait_for_messages(1) between scans. Release the global lock during
    that wait (and only then), so that other requests - including the
    SendMessage that wakes the poller - can run meanwhile."""
    from moto.sqs.models import Queue

    original = Queue.wait_for_messages

    def wait_for_messages(self, timeout):
        if not getattr(_tls, "holding", False):
            return original(self, timeout)
        REQUEST_LOCK.release()
        try:
            return original(self, timeout)
        finally:
            REQUEST_LOCK.acquire()

    Queue.wait_for_messages = wait_for_messages


def _patch_dynamodb_transaction_rollback() -> None:
    """Make TransactWriteItems cost O(items in the transaction), not O(table).

    moto 5.2.5's DynamoDBBackend.transact_write_items starts with
    copy.deepcopy() of every table the transaction names, and on failure puts
    the copy back in place of the table. That is ~70 ms per transaction on a
    2,000-item table and ~600 ms on 10,000 items, so 300 queued transactions
    outlast the SDK's read timeout. Under the global lock nothing else can
    touch the table meanwhile, so it is enough to copy just the items the
    transaction names, and put those back on failure:

    - while our wrapper runs, the `copy.deepcopy(table)` in moto's method
      returns the table itself, so moto's own "restore" is a no-op;
    - before calling moto, we deep-copy each named item (or note its absence);
    - if moto raises (TransactionCanceledException or any other error), we
      restore exactly those items, then re-raise.

    Everything else - validation, condition checks, cancellation reasons - is
    moto's own code. moto appends each write's stream record as it applies it,
    so on failure we also cut each named table's stream back to its length
    before the call: a cancelled transaction leaves no record, as in DynamoDB
    (the outbox relay reads the stream).
    """
    import moto.dynamodb.models as ddb_models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    real_copy = ddb_models.copy

    class _CopyModule:
        """Stands in for the `copy` module inside moto.dynamodb.models."""

        def __getattr__(self, name):
            return getattr(real_copy, name)

        @staticmethod
        def deepcopy(obj, memo=None):
            if isinstance(obj, Table) and getattr(_tls, "in_transaction", False):
                return obj
            return real_copy.deepcopy(obj, memo)

    ddb_models.copy = _CopyModule()
    original = DynamoDBBackend.transact_write_items

    def _undo_records(backend, transact_items):
        records = []
        for entry in transact_items if isinstance(transact_items, list) else []:
            try:
                op_type, op = next(iter(entry.items()))
                table = backend.tables.get(op.get("TableName"))
                if table is None:
                    continue
                attrs = op["Item"] if op_type == "Put" else op["Key"]
                hash_value = DynamoType(attrs[table.hash_key_attr])
                range_value = (
                    DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
                )
            except Exception:
                continue  # malformed: moto rejects it without writing that key
            partition_existed = hash_value in table.items
            if range_value is None:
                current = table.items.get(hash_value)
            else:
                current = table.items[hash_value].get(range_value) if partition_existed else None
            saved = real_copy.deepcopy(current) if current is not None else None
            records.append((table, hash_value, range_value, partition_existed, saved))
        return records

    def _undo(records):
        for table, hash_value, range_value, partition_existed, saved in reversed(records):
            if range_value is None:
                if saved is None:
                    table.items.pop(hash_value, None)
                else:
                    table.items[hash_value] = saved
            elif saved is not None:
                table.items[hash_value][range_value] = saved
            else:
                partition = table.items.get(hash_value)
                if partition is not None:
                    partition.pop(range_value, None)
                    if not partition and not partition_existed:
                        del table.items[hash_value]

    def _stream_lengths(records):
        shards = {}
        for table, *_ in records:
            shard = getattr(table, "stream_shard", None)
            if shard is not None:
                shards[id(shard)] = (shard, len(shard.items))
        return list(shards.values())

    def transact_write_items(self, transact_items):
        records = _undo_records(self, transact_items)
        streams = _stream_lengths(records)
        _tls.in_transaction = True
        try:
            return original(self, transact_items)
        except BaseException:
            _undo(records)
            for shard, length in streams:
                del shard.items[length:]
            raise
        finally:
            _tls.in_transaction = False

    DynamoDBBackend.transact_write_items = transact_write_items


def _cache_module_list() -> None:
    """moto's dispatcher calls moto.backends.list_of_moto_modules() twice per
    request; it lists moto's package directory and stat()s ~270 entries each
    time (about a fifth of the cost of a GetItem). The list cannot change
    while we run, so compute it once."""
    import moto.backends as moto_backends

    modules = tuple(moto_backends.list_of_moto_modules())
    moto_backends.list_of_moto_modules = lambda: modules


class QuietHandler(MotoRequestHandler):
    """moto's request handler, with TCP_NODELAY and optional request logs."""

    verbose = False

    def setup(self):
        super().setup()
        # werkzeug writes the status/headers and the body with separate
        # send() calls; without TCP_NODELAY, Nagle's algorithm can hold the
        # body back until the client's delayed ACK on a keep-alive connection.
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_request(self, code="-", size="-"):
        if self.verbose:
            super().log_request(code, size)


# --------------------------------------------------------------------------
# 3. Persistence (--state FILE).
#
#    The state file is a pickle of {"format", "moto_version", "groups"}, where
#    groups maps a group name ("dynamodb", "ses+sesv2", ...) to the pickled
#    bytes of {service: {account_id: {region: backend}}} (plus, for S3, the
#    global bucket-name -> account map). Each group is pickled separately, so
#    one service that cannot be pickled does not stop the others from being
#    saved; a group that fails keeps the bytes it was loaded with.
# --------------------------------------------------------------------------


def _reduce_lock(lock):
    return (threading.Lock, ())


def _reduce_rlock(lock):
    return (threading.RLock, ())


def _reduce_condition(cond):
    return (threading.Condition, ())


# Locks cannot be pickled; moto's SQS queues hold a threading.Condition.
# Save them as "a new, unlocked lock".
copyreg.pickle(type(threading.Lock()), _reduce_lock)
copyreg.pickle(type(threading.RLock()), _reduce_rlock)
copyreg.pickle(threading.Condition, _reduce_condition)


def _group_name(group: tuple[str, ...]) -> str:
    return "+".join(group)


def _snapshot_group(group: tuple[str, ...]) -> bytes:
    """Pickle the backends of one group. Caller holds REQUEST_LOCK."""
    payload: dict = {"backends": {}}
    for service in group:
        backend_dict = get_backend(service)
        payload["backends"][service] = {
            account_id: dict(dict.items(per_account))
            for account_id, per_account in dict.items(backend_dict)
        }
        if service == "s3":
            payload["s3_bucket_accounts"] = dict(backend_dict.bucket_accounts)
    return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def _restore_group(group: tuple[str, ...], blob: bytes) -> None:
    payload = pickle.loads(blob)
    for service in group:
        backend_dict = get_backend(service)
        for account_id, regions in payload["backends"].get(service, {}).items():
            per_account = backend_dict[account_id]  # creates the account entry
            for region, backend in regions.items():
                dict.__setitem__(per_account, region, backend)
        if service == "s3":
            backend_dict.bucket_accounts.update(payload.get("s3_bucket_accounts", {}))


class StateStore:
    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self.blobs: dict[str, bytes] = {}  # last good snapshot per group
        self.saved_at_request = 0
        self.write_lock = threading.Lock()  # one writer of the file at a time

    def load(self) -> None:
        if not os.path.exists(self.path):
            return
        try:
            with open(self.path, "rb") as f:
                state = pickle.load(f)
            if state.get("format") != STATE_FORMAT:
                raise ValueError(f"state format {state.get('format')!r}, expected {STATE_FORMAT}")
            if state.get("moto_version") != moto.__version__:
                raise ValueError(
                    f"saved by moto {state.get('moto_version')}, this is moto {moto.__version__}"
                )
            blobs = state["groups"]
        except Exception as e:  # unreadable: keep it aside, start empty
            aside = f"{self.path}.unreadable-{int(time.time())}"
            os.replace(self.path, aside)
            _err(f"cannot restore {self.path} ({e}); moved it to {aside}, starting empty")
            return
        for group in SERVICE_GROUPS:
            name = _group_name(group)
            if name not in blobs:
                continue
            try:
                _restore_group(group, blobs[name])
                self.blobs[name] = blobs[name]
            except Exception as e:
                _err(f"cannot restore {name} from {self.path} ({e}); it starts empty")

    def save(self, *, lock_timeout: float = -1, keep_locked: bool = False) -> bool:
        """Snapshot under REQUEST_LOCK, then write atomically. Returns False if
        the lock could not be taken within lock_timeout seconds. With
        keep_locked (used just before exiting) the lock is not released, so no
        request can change the data after the snapshot."""
        with self.write_lock:
            if not REQUEST_LOCK.acquire(timeout=lock_timeout):
                return False
            try:
                self.saved_at_request = _requests_handled
                for group in SERVICE_GROUPS:
                    name = _group_name(group)
                    try:
                        self.blobs[name] = _snapshot_group(group)
                    except Exception as e:
                        _err(f"cannot save {name} ({type(e).__name__}: {e}); keeping its previous snapshot")
            finally:
                if not keep_locked:
                    REQUEST_LOCK.release()
            state = {
                "format": STATE_FORMAT,
                "moto_version": moto.__version__,
                "saved_at": time.time(),
                "groups": self.blobs,
            }
            directory = os.path.dirname(self.path)
            os.makedirs(directory, exist_ok=True)
            tmp = f"{self.path}.tmp-{os.getpid()}"
            with open(tmp, "wb") as f:
                pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
            try:
                dir_fd = os.open(directory, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
            except OSError:
                pass
            return True

    def autosave_loop(self) -> None:
        while True:
            time.sleep(SAVE_INTERVAL_SECONDS)
            if _requests_handled != self.saved_at_request:
                try:
                    self.save()
                except Exception as e:
                    _err(f"periodic save failed: {type(e).__name__}: {e}")


# --------------------------------------------------------------------------
# 4. Process plumbing.
# --------------------------------------------------------------------------


def _err(message: str) -> None:
    print(f"emulator: {message}", file=sys.stderr, flush=True)


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # exists, owned by someone else
    # A dead parent that nobody has reaped yet still answers kill(0).
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0]
        return state in (b"Z", b"X")
    except (OSError, IndexError):
        return False


def _watch_parent(pid: int, store: StateStore | None) -> None:
    was_our_parent = os.getppid() == pid
    while True:
        time.sleep(0.5)
        if (was_our_parent and os.getppid() != pid) or _process_gone(pid):
            break
    if store is not None:
        try:
            store.save(lock_timeout=5, keep_locked=True)
        except Exception as e:
            _err(f"save on parent exit failed: {e}")
    os._exit(0)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # SO_REUSEADDR lets us rebind right after a restart (TIME_WAIT) but still
    # fails if another process is listening on the port.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(1024)  # hundreds of racing clients connect at once in the race tests
    except OSError as e:
        sock.close()
        _err(f"cannot listen on {host}:{port}: {e.strerror or e}")
        if port:
            _err("is another emulator already running? Stop it or choose another port (--port, EMULATOR_PORT)")
        sys.exit(2)
    return sock


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=4566, help="port; 0 picks a free one (default 4566)")
    parser.add_argument("--state", metavar="FILE", help="restore from FILE at start, save to it on exit and every ~10 s")
    parser.add_argument("--exit-with-parent", type=int, metavar="PID", help="exit when process PID is gone")
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = parser.parse_args(argv)

    sock = _listen(args.host, args.port)
    port = sock.getsockname()[1]
    os.environ.setdefault("MOTO_PORT", str(port))  # as moto_server does

    _patch_sqs_long_polling()
    _patch_dynamodb_transaction_rollback()
    _patch_sesv2_keep_requests()
    _cache_module_list()
    store = StateStore(args.state) if args.state else None
    if store is not None:
        store.load()

    dispatcher = DomainDispatcherApplication(create_backend_app)
    for service in SERVICES:  # build the Flask apps now, not on first request
        dispatcher.app_instances[service] = create_backend_app(service)

    QuietHandler.verbose = args.verbose
    server = make_server(
        args.host, port, LockedApp(dispatcher), threaded=True,
        request_handler=QuietHandler, fd=sock.fileno(),
    )
    sock.close()  # make_server dup()ed it
    server.daemon_threads = True

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    if store is not None:
        threading.Thread(target=store.autosave_loop, name="autosave", daemon=True).start()
    if args.exit_with_parent:
        threading.Thread(
            target=_watch_parent, args=(args.exit_with_parent, store), name="parent-watch", daemon=True
        ).start()

    url_host = "127.0.0.1" if args.host in ("0.0.0.0", "") else args.host
    if ":" in url_host:
        url_host = f"[{url_host}]"
    print(f"READY http://{url_host}:{port}", flush=True)
    # Nothing else goes to stdout: a reader may stop reading after READY (and a
    # full pipe would block us). Stray prints from moto go to stderr instead.
    sys.stdout = sys.stderr
    try:
        os.dup2(2, 1)
    except OSError:
        pass

    while not stop.wait(0.5):
        pass
    if store is not None:
        try:
            store.save(lock_timeout=10, keep_locked=True)
        except Exception as e:
            _err(f"save on exit failed: {type(e).__name__}: {e}")
            os._exit(1)
    os._exit(0)  # daemon threads may be mid-request; do not wait for them


if __name__ == "__main__":
    main()
