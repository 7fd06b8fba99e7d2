#!/usr/bin/env python3
"""A fake Resend endpoint (POST /emails) on loopback for Bazar's mail tests.

It answers like https://resend.com/docs/api-reference/emails/send-email and
records what a real provider would have sent, so a test can assert that
every outbox row became exactly one e-mail whatever the network did. Its
faults (429, 5xx, slow, dropped connections, malformed answers) are chosen
per request from a seeded SPEC and/or a deterministic --script, so a failing
run can be replayed.

Order of checks for one request (each step may end it):
  1. path and method (404/405), 2. Authorization (401),
  3. body and Idempotency-Key validation (422),
  4. the fault for this request (a refused request consumes no fault, so a
     --script entry always lands on a send the worker meant),
  5. idempotency: a new key delivers, a known key is a duplicate.
A fault decided in step 4 comes BEFORE the idempotency logic: a 429, 5xx,
drop, badjson or 422 fault delivers nothing; slow and dropafter deliver.

The API key is never written anywhere: the log and the summary say only
"auth": "ok" | "missing" | "wrong"; a request whose body contains the key
is counted as a leak (key_in_body) and its logged fields are redacted.

Use (the test waits for the port file, then reads the port from it):
  fake_resend.py --port-file F [--port 0] --key KEY [--log L] [--summary S]
      [--faults 429:0.1,500:0.1,slow:0.05,drop:0.05,badjson:0.05,422:0.01]
      [--script 200,429,500,slow,drop,badjson] [--seed N] [--slow-seconds 5]
      [--retry-after 1] [--retry-after-date] [--hostile huge|deep|wrongtypes|empty]
      [--strict-payload]
Kinds: 200, 429 (Retry-After), 500, 503, 422, drop (no answer, nothing
sent), dropafter (sent, no answer), badjson (200 '{"id": ', nothing sent),
slow (sleep, then sent and 200), and the hostile answers huge, deep,
wrongtypes (cycling {"id": 42}, {"id": null}, [], "x") and empty, which
are sent and answered 200 with that body; --hostile makes one of them the
answer of every request the script and SPEC leave at 200.

Log (--log), one JSON object per request, written when it ends (so lines
are in completion order; "time" is the arrival): time, method, path,
idempotency_key, auth, fault, status (null: dropped), delivered, duplicate,
body_valid, to, subject, id; sometimes body_error, dropped, key_in_body,
payload_mismatch.

Summary (--summary, on SIGTERM/SIGINT; also GET /_fake/summary while it
runs): requests; deliveries (keys delivered, each once); delivered_keys;
duplicates (requests answered with an already-delivered key's id);
repeated_keys (key -> requests, for keys sent more than once);
requests_without_key and deliveries_without_key; auth_failures;
invalid_bodies; faults (kind -> times applied); slow (what slow requests
delivered, and why that is a success); dropafter_delivered;
payload_mismatches (a known key with another body); key_in_body;
hostile_answers; in_flight (requests still running at the stop, e.g. a
slow one asleep: they deliver nothing); seed.

Python 3 standard library only (Debian 12's python3).
"""

import argparse
import email.utils
import hashlib
import hmac
import json
import os
import random
import signal
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A request body larger than this is refused unread: a worker bug, not mail.
MAX_BODY = 16 * 1024 * 1024

# Kinds a SPEC or a --script may name. "200" is the plain success.
FAULT_KINDS = ("200", "429", "500", "503", "slow", "drop", "dropafter",
               "badjson", "422")
# Answer modes for parser tests: each delivers, then answers 200 with a
# hostile body instead of {"id": ...}; also usable as fault kinds.
HOSTILE_KINDS = ("huge", "deep", "wrongtypes", "empty")
ALL_KINDS = FAULT_KINDS + HOSTILE_KINDS

WRONGTYPE_BODIES = (b'{"id": 42}', b'{"id": null}', b'[]', b'"x"')


def parse_spec(text):
    """Turns "429:0.1,slow:0.05" into [("429", 0.1), ("slow", 0.05)]."""
    pairs = []
    total = 0.0
    for item in filter(None, (s.strip() for s in text.split(","))):
        kind, sep, prob = item.partition(":")
        if not sep or kind not in ALL_KINDS:
            raise ValueError("bad fault %r (want KIND:PROBABILITY, KIND in %s)"
                             % (item, ", ".join(ALL_KINDS)))
        p = float(prob)
        if not 0.0 <= p <= 1.0:
            raise ValueError("probability of %s out of [0, 1]: %s" % (kind, prob))
        total += p
        pairs.append((kind, p))
    if total > 1.0 + 1e-9:
        raise ValueError("fault probabilities add up to %.3f, more than 1" % total)
    return pairs


def parse_script(text):
    """Turns "200,429,drop" into a list of kinds, each one checked."""
    kinds = [s.strip() for s in text.split(",") if s.strip()]
    for kind in kinds:
        if kind not in ALL_KINDS:
            raise ValueError("bad script entry %r (known: %s)"
                             % (kind, ", ".join(ALL_KINDS)))
    return kinds


class FaultPlan:
    """Chooses each request's fault: the script first, then the SPEC.

    One lock makes the script's order the order requests reach step 4 and
    keeps the seeded RNG's draws one per request; with several clients at
    once that order is the arrival order, so only serial runs replay
    exactly.
    """

    def __init__(self, spec, script, seed, default_kind):
        self.spec = spec
        self.script = list(script)
        self.rng = random.Random(seed)
        self.default_kind = default_kind
        self.lock = threading.Lock()

    def next_kind(self):
        """The fault for the next request (default_kind when none)."""
        with self.lock:
            if self.script:
                return self.script.pop(0)
            if not self.spec:
                return self.default_kind
            draw = self.rng.random()
            edge = 0.0
            for kind, prob in self.spec:
                edge += prob
                if draw < edge:
                    return kind
            return self.default_kind


class Ledger:
    """What the provider received and sent; every method takes the lock.

    delivered maps an idempotency key to its message id and the time of
    the first accepted request; a key older than ttl seconds is forgotten,
    as Resend forgets keys after 24 hours.
    """

    def __init__(self, ttl, log_path, key):
        self.lock = threading.Lock()
        self.ttl = ttl
        self.key = key
        self.delivered = {}
        self.requests_per_key = {}
        self.counts = {
            "requests": 0, "deliveries": 0, "duplicates": 0,
            "requests_without_key": 0, "deliveries_without_key": 0,
            "auth_failures": 0, "invalid_bodies": 0,
            "payload_mismatches": 0, "key_in_body": 0,
            "slow_delivered": 0, "dropafter_delivered": 0,
            "hostile_answers": 0, "in_flight": 0,
        }
        self.faults = {}
        self.slow_keys = []
        self.log = open(log_path, "a", encoding="utf-8") if log_path else None

    def begin(self, idem_key):
        """Counts one request as it arrives."""
        with self.lock:
            self.counts["requests"] += 1
            self.counts["in_flight"] += 1
            if idem_key is None:
                self.counts["requests_without_key"] += 1
            else:
                n = self.requests_per_key.get(idem_key, 0)
                self.requests_per_key[idem_key] = n + 1

    def end(self):
        """Marks one request as answered (or dropped)."""
        with self.lock:
            self.counts["in_flight"] -= 1

    def count(self, name, fault=None):
        """Adds one to a named counter and, if given, to a fault kind."""
        with self.lock:
            if name:
                self.counts[name] += 1
            if fault and fault != "200":
                self.faults[fault] = self.faults.get(fault, 0) + 1

    def deliver(self, idem_key, digest, fault):
        """The idempotency step: (message id, delivered now?, mismatch?).

        Under one lock, so two requests with one key (a slow send and its
        retry) can never both deliver.
        """
        with self.lock:
            if idem_key is None:
                self.counts["deliveries_without_key"] += 1
                return str(uuid.uuid4()), True, False
            now = time.time()
            known = self.delivered.get(idem_key)
            if known and now - known["time"] < self.ttl:
                self.counts["duplicates"] += 1
                mismatch = known["digest"] != digest
                if mismatch:
                    self.counts["payload_mismatches"] += 1
                return known["id"], False, mismatch
            message_id = str(uuid.uuid4())
            self.delivered[idem_key] = {"id": message_id, "time": now,
                                        "digest": digest, "fault": fault}
            self.counts["deliveries"] += 1
            if fault == "slow":
                self.counts["slow_delivered"] += 1
                self.slow_keys.append(idem_key)
            elif fault == "dropafter":
                self.counts["dropafter_delivered"] += 1
            return message_id, True, False

    def write_log(self, record):
        """Appends one JSON line; the key never reaches the file."""
        if self.log is None:
            return
        line = json.dumps(record, sort_keys=True)
        if self.key and self.key in line:
            # Only reachable through a field the client chose (to, subject,
            # the idempotency key): redact, the leak is counted already.
            line = line.replace(self.key, "[REDACTED]")
        with self.lock:
            self.log.write(line + "\n")
            self.log.flush()

    def summary(self, args):
        """The summary as a dict (see --summary)."""
        with self.lock:
            out = dict(self.counts)
            out["faults"] = dict(sorted(self.faults.items()))
            out["repeated_keys"] = {k: n for k, n in
                                    sorted(self.requests_per_key.items())
                                    if n > 1}
            out["delivered_keys"] = sorted(self.delivered)
            out["slow"] = {
                "seconds": args.slow_seconds,
                "delivered": self.counts["slow_delivered"],
                "keys": list(self.slow_keys),
                "note": "a slow request sleeps, then delivers and answers "
                        "200; a client that timed out must retry with the "
                        "same Idempotency-Key, which is then a duplicate",
            }
            out["seed"] = args.seed
            return out


def error_body(status, name, message):
    """Resend's error shape."""
    return json.dumps({"statusCode": status, "name": name,
                       "message": message}).encode()


def validate_email(body):
    """None when body is a send request Resend would accept, else why not."""
    if not isinstance(body, dict):
        return "The body must be a JSON object."
    for field in ("from", "subject"):
        value = body.get(field)
        if not isinstance(value, str) or not value.strip():
            return "Missing or invalid `%s` field." % field
    if "@" not in body["from"]:
        return "Invalid `from` field."
    to = body.get("to")
    if isinstance(to, str):
        to = [to]
    if (not isinstance(to, list) or not 1 <= len(to) <= 50
            or not all(isinstance(a, str) and "@" in a for a in to)):
        return "Missing or invalid `to` field."
    has_text = "text" in body
    has_html = "html" in body
    if not has_text and not has_html:
        return "Missing `text` or `html` field."
    for field in ("text", "html"):
        if field in body and not isinstance(body[field], str):
            return "Invalid `%s` field: must be a string." % field
    return None


def hostile_body(kind, message_id, counter):
    """The body of a hostile answer; counter picks the wrongtypes variant."""
    if kind == "huge":
        # Valid JSON carrying the real id, 10 MB long: a client should cap
        # what it reads, and one that does not still records the right id.
        pad = 10 * 1024 * 1024
        return b'{"id": "' + message_id.encode() + b'", "pad": "' \
            + b"x" * pad + b'"}'
    if kind == "deep":
        return b"[" * 100000 + b"]" * 100000
    if kind == "wrongtypes":
        return WRONGTYPE_BODIES[counter % len(WRONGTYPE_BODIES)]
    return b""


class Handler(BaseHTTPRequestHandler):
    """One connection; HTTP/1.1 so libcurl may reuse it."""

    protocol_version = "HTTP/1.1"
    # An idle kept-alive connection releases its thread after this.
    timeout = 30
    server_version = "fake-resend/1"

    def log_message(self, fmt, *args):
        """Silent: the JSON log is the record (stderr would show paths)."""

    def do_GET(self):
        """GET /_fake/summary: the live summary, for a test that polls."""
        if self.path != "/_fake/summary":
            self.send_json(404, error_body(404, "not_found",
                                           "The requested endpoint does not exist."))
            return
        self.send_json(200, json.dumps(
            self.server.ledger.summary(self.server.args)).encode())

    def refuse_method(self):
        """405 as JSON, as Resend answers a method an endpoint lacks."""
        self.send_json(405, error_body(405, "method_not_allowed",
                                       "Method is not allowed for the requested path."))

    do_PUT = do_DELETE = do_PATCH = refuse_method

    def do_POST(self):
        """POST /emails; anything else is 404."""
        state = self.server
        idem_key = self.headers.get("Idempotency-Key")
        state.ledger.begin(idem_key)
        record = {"time": iso_now(), "method": "POST", "path": self.path,
                  "idempotency_key": idem_key, "auth": None, "fault": None,
                  "status": None, "delivered": False, "duplicate": False,
                  "body_valid": False, "to": None, "subject": None, "id": None}
        try:
            self.handle_send(record)
        finally:
            state.ledger.end()
            state.ledger.write_log(record)

    def handle_send(self, record):
        """Steps 1 to 5 of the module comment; fills record as it goes."""
        state = self.server
        ledger = state.ledger
        raw = self.read_body()
        if self.path != "/emails":
            self.answer(record, 404, error_body(404, "not_found",
                                                "The requested endpoint does not exist."))
            return
        record["auth"] = self.auth_status()
        if record["auth"] != "ok":
            ledger.count("auth_failures")
            name = "missing_api_key" if record["auth"] == "missing" else "invalid_api_key"
            self.answer(record, 401, error_body(401, name,
                                                "Missing or invalid API key in the Authorization header."))
            return
        if raw is not None and state.args.key.encode() in raw:
            ledger.count("key_in_body")
            record["key_in_body"] = True
        body, problem = decode_body(raw)
        if isinstance(body, dict):
            record["to"] = body.get("to")
            record["subject"] = body.get("subject")
        if problem is None:
            problem = check_idempotency_key(record["idempotency_key"])
        if problem is not None:
            ledger.count("invalid_bodies")
            record["body_error"] = problem
            self.answer(record, 422, error_body(422, "validation_error", problem))
            return
        record["body_valid"] = True
        kind = state.plan.next_kind()
        record["fault"] = kind
        ledger.count(None, kind)
        # The digest of the parsed body, so only a different payload (not
        # different spacing) counts as a mismatch for a known key.
        canonical = json.dumps(body, sort_keys=True).encode()
        self.apply(kind, record, hashlib.sha256(canonical).hexdigest())

    def apply(self, kind, record, digest):
        """Answers a valid, authorised send as fault kind says."""
        args = self.server.args
        if kind == "429":
            self.answer(record, 429, error_body(429, "rate_limit_exceeded",
                                                "Too many requests. Please slow down."),
                        {"Retry-After": retry_after_value(args)})
            return
        if kind in ("500", "503"):
            name = "internal_server_error" if kind == "500" else "service_unavailable"
            self.answer(record, int(kind), error_body(int(kind), name,
                                                      "The provider failed; try again later."))
            return
        if kind == "422":
            self.answer(record, 422, error_body(422, "validation_error",
                                                "The provider refused this message (injected)."))
            return
        if kind == "drop":
            self.drop(record)
            return
        if kind == "badjson":
            self.answer(record, 200, b'{"id": ')
            return
        if kind == "slow":
            time.sleep(args.slow_seconds)
        self.deliver_and_answer(kind, record, digest)

    def deliver_and_answer(self, kind, record, digest):
        """Step 5, then the answer kind calls for (200, hostile, or none)."""
        ledger = self.server.ledger
        message_id, delivered, mismatch = ledger.deliver(
            record["idempotency_key"], digest, kind)
        record["id"] = message_id
        record["delivered"] = delivered
        record["duplicate"] = not delivered
        if mismatch:
            record["payload_mismatch"] = True
            if self.server.args.strict_payload:
                self.answer(record, 409, error_body(409, "invalid_idempotent_request",
                                                    "Same idempotency key used with a different request payload."))
                return
        if kind == "dropafter":
            self.drop(record)
            return
        if kind in HOSTILE_KINDS:
            ledger.count("hostile_answers")
            turn = self.server.next_counter() if kind == "wrongtypes" else 0
            self.answer(record, 200, hostile_body(kind, message_id, turn))
            return
        self.answer(record, 200, json.dumps({"id": message_id}).encode())

    def auth_status(self):
        """"ok", "missing" or "wrong"; compared in constant time."""
        value = self.headers.get("Authorization")
        if value is None or not value.strip():
            return "missing"
        want = ("Bearer " + self.server.args.key).encode()
        return "ok" if hmac.compare_digest(value.strip().encode(), want) else "wrong"

    def read_body(self):
        """The request body (bytes), or None when it could not be read."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self.read_chunked()
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            return None
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            return None
        return self.rfile.read(length)

    def read_chunked(self):
        """A chunked body (libcurl sends one when it streams a POST)."""
        parts = []
        size = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                n = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                return None
            size += n
            if size > MAX_BODY:
                self.close_connection = True
                return None
            if n == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(self.rfile.read(n))
            self.rfile.readline(8)

    def answer(self, record, status, body, headers=None):
        """Sends one JSON answer and notes its status."""
        record["status"] = status
        self.send_json(status, body, headers)

    def send_json(self, status, body, headers=None):
        """Status line, JSON headers (with Content-Length), body."""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # A client that gave up (a timeout) is a normal case here.
            self.close_connection = True

    def drop(self, record):
        """Closes the connection without a byte of answer."""
        record["status"] = None
        record["dropped"] = True
        self.close_connection = True


def decode_body(raw):
    """(parsed JSON or None, None or the reason it is not a valid send)."""
    if raw is None:
        return None, "The request body could not be read."
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, "The body is not valid JSON."
    return body, validate_email(body)


def check_idempotency_key(key):
    """None when the key is absent or usable; Resend allows 1 to 256 chars."""
    if key is None:
        return None
    if not 1 <= len(key) <= 256:
        return "The Idempotency-Key must be 1 to 256 characters."
    return None


def retry_after_value(args):
    """Seconds, or an HTTP-date that many seconds ahead (--retry-after-date)."""
    if args.retry_after_date:
        return email.utils.formatdate(time.time() + args.retry_after, usegmt=True)
    return str(args.retry_after)


def iso_now():
    """UTC time with milliseconds, for the log."""
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % (int(t * 1000) % 1000)


class FakeResend(ThreadingHTTPServer):
    """The server plus what the handlers share (args, plan, ledger)."""

    daemon_threads = True
    # Several workers (and the burst test's threads) connect at once; the
    # default backlog of 5 would make some wait for a SYN retransmission.
    request_queue_size = 128

    def __init__(self, args, plan, ledger):
        super().__init__(("127.0.0.1", args.port), Handler)
        self.args = args
        self.plan = plan
        self.ledger = ledger
        self.counter = 0
        self.counter_lock = threading.Lock()

    def next_counter(self):
        """0, 1, 2, ...: which wrongtypes body comes next."""
        with self.counter_lock:
            n = self.counter
            self.counter += 1
            return n


def write_atomically(path, text):
    """Writes path through a rename, so a waiting test never reads half."""
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def parse_args(argv):
    """Command line; see the module comment."""
    p = argparse.ArgumentParser(description="Fake Resend POST /emails endpoint for tests.")
    p.add_argument("--port", type=int, default=0, help="0: any free port")
    p.add_argument("--port-file", required=True, help="written once listening")
    p.add_argument("--log", help="one JSON line per request")
    p.add_argument("--summary", help="JSON written on SIGTERM/SIGINT")
    p.add_argument("--key", required=True, help="the API key clients must send")
    p.add_argument("--faults", default="", help="e.g. 429:0.1,500:0.1,slow:0.05")
    p.add_argument("--script", default="", help="e.g. 200,429,drop (used first, in order)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--slow-seconds", type=float, default=5.0)
    p.add_argument("--retry-after", type=int, default=1, help="seconds in Retry-After")
    p.add_argument("--retry-after-date", action="store_true",
                   help="send Retry-After as an HTTP-date")
    p.add_argument("--hostile", choices=HOSTILE_KINDS,
                   help="answer every otherwise plain success with this body")
    p.add_argument("--strict-payload", action="store_true",
                   help="a known key with a different body gets 409, as Resend does")
    p.add_argument("--idempotency-ttl", type=float, default=24 * 3600)
    args = p.parse_args(argv)
    if not args.key:
        p.error("--key must not be empty")
    try:
        args.spec = parse_spec(args.faults)
        args.script_kinds = parse_script(args.script)
    except ValueError as e:
        p.error(str(e))
    return args


def main(argv):
    """Serves until SIGTERM/SIGINT, then writes the summary; exit 0."""
    args = parse_args(argv)
    plan = FaultPlan(args.spec, args.script_kinds, args.seed, args.hostile or "200")
    ledger = Ledger(args.idempotency_ttl, args.log, args.key)
    server = FakeResend(args, plan, ledger)
    stop = threading.Event()
    # The handler only sets the event: shutdown() from the thread running
    # serve_forever() would wait for itself.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    loop = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    loop.start()
    write_atomically(args.port_file, "%d\n" % server.server_address[1])
    while not stop.wait(0.5):
        pass
    server.shutdown()
    loop.join()
    server.server_close()
    if args.summary:
        write_atomically(args.summary, json.dumps(ledger.summary(args), indent=1,
                                                  sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
