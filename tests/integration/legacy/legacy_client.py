#!/usr/bin/python3
"""End-to-end test of the legacy E-Port API (docs/LEGACY.md), independent of cardbridge's C++:
a Python client (eport_client.py, written from the protocol notes) against a cardbridged it
starts itself, with three test-PKI cards behind tests/harness/vcard-env. Signatures are checked
with the openssl command line against the certificate the daemon hands out.

  vcard-env --card …/trade-legal-rsa --card …/trade-legal-sm2 --card …/trade-legal-p256 -- \\
    /usr/bin/python3 legacy_client.py --daemon cardbridged --vcard-ctl cardbridge-vcard-ctl \\
      --pki TEST_PKI_DIR --pinentry tests/harness/pinentry-stub --version 0.1.0

Every check is an assertion with a message that says what a portal user would see go wrong;
the run goes on after a failed one and ends with "N passed, N failed" (exit 1 on any failure).

This file starts the daemon, runs the parts in order and sums up; the checks themselves are in
checks_daemon.py (connecting, which card, the audit log), checks_card_data.py, checks_pin.py,
checks_signing.py (one card at a time) and checks_blocktxt.py (the SM2 card only), on top of
support.py (the tally, envelope checks, shared constants) and signatures.py (openssl).
"""
import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

sys.dont_write_bytecode = True   # no __pycache__ in the source tree (also for the modules below)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eport_client as ec  # noqa: E402
from eport_client import LegacyConnection  # noqa: E402

import checks_card_data  # noqa: E402
import checks_pin  # noqa: E402
import checks_signing  # noqa: E402
from checks_blocktxt import sm2_extra  # noqa: E402
from checks_daemon import test_audit, test_connecting, test_which_card  # noqa: E402
from signatures import Crypto  # noqa: E402
from support import (CARDS, NOPIN, STUB_PIN, SW, CardUnderTest, Fatal, Session, T, b64,  # noqa: E402
                     short, wait_for_card)

# ---------------------------------------------------------------------------------------------
# the test


class Env:
    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="legacy-client.")
        self.crypto = Crypto(self.tmp)
        with open(os.path.join(args.pki, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.controls = {}
        self.profiles = {}
        for n in range(1, int(os.environ.get("CARDBRIDGE_VCARD_COUNT", "0")) + 1):
            prof = os.environ["CARDBRIDGE_VCARD%d_PROFILE" % n].rstrip("/")
            self.controls[os.path.basename(prof)] = os.environ["CARDBRIDGE_VCARD%d_CONTROL" % n]
            self.profiles[os.path.basename(prof)] = prof
        missing = [c for c in CARDS if c not in self.controls]
        if missing:
            raise Fatal("run me under vcard-env with the cards %s (missing %s)" % (CARDS, missing))
        self.inserted = set(CARDS)
        self.daemon = None
        self.port = None
        self.audit = os.path.join(self.tmp, "audit.log")
        self.pinlog = os.path.join(self.tmp, "pinentry.log")
        self.daemon_log = os.path.join(self.tmp, "daemon.log")

    def card(self, name):
        m = dict(self.manifest["cards"][name])
        prof = self.profiles[name]
        with open(os.path.join(prof, "card.json")) as f:
            m["chuid_guid"] = json.load(f)["chuid_guid"]
        for slot in ("9a", "9c", "9d"):
            with open(os.path.join(prof, slot + ".crt.der"), "rb") as f:
                m[slot] = f.read()
        return m

    def ctl(self, name, command):
        p = subprocess.run([self.args.vcard_ctl, self.controls[name], command], capture_output=True,
                           text=True, timeout=10)
        if p.returncode or not p.stdout.startswith("ok"):
            raise Fatal("cardbridge-vcard-ctl %s %s: %s %s" % (name, command, p.stdout, p.stderr))
        if command == "insert":
            self.inserted.add(name)
        elif command == "remove":
            self.inserted.discard(name)

    def start_daemon(self):
        config = {"socket": os.path.join(self.tmp, "daemon.sock"), "auditLog": self.audit,
                  "pinentry": self.args.pinentry,
                  "origins": [{"pattern": SW, "login": True, "sign": True, "sendPin": True},
                              {"pattern": NOPIN, "login": True, "sign": True, "sendPin": False}]}
        cfg = os.path.join(self.tmp, "config.json")
        with open(cfg, "w") as f:
            json.dump(config, f)
        env = dict(os.environ, CARDBRIDGE_PINENTRY_PIN=STUB_PIN, CARDBRIDGE_PINENTRY_LOG=self.pinlog)
        self.log_file = open(self.daemon_log, "wb")
        self.daemon = subprocess.Popen([self.args.daemon, "--config", cfg, "--port", "0"],
                                       stdout=self.log_file, stderr=self.log_file, env=env)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with open(self.daemon_log, "rb") as f:
                m = re.search(rb"listening on ws://127\.0\.0\.1:(\d+)", f.read())
            if m:
                self.port = int(m.group(1))
                return
            if self.daemon.poll() is not None:
                break
            time.sleep(0.05)
        raise Fatal("cardbridged did not say \"listening on ws://127.0.0.1:PORT\" (exit %s)"
                    % self.daemon.poll())

    def stop_daemon(self):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.terminate()
            try:
                self.daemon.wait(10)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()

    @property
    def uri(self):
        return "ws://127.0.0.1:%d/" % self.port

    async def connect(self, origin):
        conn = await LegacyConnection.open(self.uri, origin, timeout=3)
        return Session(conn, origin)


# ---- one card ----------------------------------------------------------------------------------

async def test_card(env, name, sw, np, extra=None):
    """The phases share state through CardUnderTest, so their order matters: card_data swaps in
    the key every later signature is checked with, and signing leaves the data the digest,
    verification and PIN-change phases check against."""
    T.section = name
    c = CardUnderTest(env, name, sw, np)
    env.ctl(name, "insert")
    await wait_for_card(sw, c.cert_no, "only %s inserted" % name)
    c.sign_b64 = b64(c.card["9c"])
    c.pub = c.crypto.pubkey(c.card["9c"])
    c.start, c.end = c.crypto.validity(c.card["9c"])

    await checks_card_data.environment(c)
    await checks_card_data.card_data(c)
    await checks_signing.arguments(c)
    await checks_pin.origins_and_wrong_pins(c)
    await checks_signing.signing(c)
    await checks_signing.digests(c)
    await checks_signing.verification(c)
    await checks_pin.prompt(c)
    await checks_pin.change(c)

    if extra:
        await extra(env, c.card, sw, np, c.pub)
    env.ctl(name, "remove")
    await wait_for_card(sw, 50200, "%s removed" % name)


# ---------------------------------------------------------------------------------------------

async def guarded(env, s, coro):
    """Runs one part; an exception (a call left unanswered, an answer of the wrong shape) is a
    failure of that part, after which every card is pulled so that the next part starts clean."""
    try:
        await coro
    except Fatal:
        raise
    except Exception as e:  # noqa: BLE001
        T.failed.append("[%s] stopped by %s: %s" % (T.section, type(e).__name__, e))
        print("FAIL [%s] stopped by %s" % (T.section, type(e).__name__))
        traceback.print_exc(limit=-3)
        for c in list(env.inserted):
            env.ctl(c, "remove")
        try:
            await wait_for_card(s, 50200, "cleanup after a failed part", timeout=4)
        except Exception:  # noqa: BLE001
            pass


async def run(env):
    T.section = "daemon"
    env.start_daemon()
    s = await env.connect(SW)
    await guarded(env, s, test_connecting(env, s))
    np = await env.connect(NOPIN)
    T.section = "connect"
    T.check(isinstance(np.conn.hello, dict) and np.conn.hello.get("_method") == "open",
            "the %s connection got no hello: %s" % (NOPIN, short(np.conn.hello)))
    await guarded(env, s, test_which_card(env, s))
    await guarded(env, s, test_card(env, "trade-legal-rsa", s, np))
    await guarded(env, s, test_card(env, "trade-legal-sm2", s, np, extra=sm2_extra))
    await guarded(env, s, test_card(env, "trade-legal-p256", s, np))
    T.section = "connections"
    for c in (s, np):
        T.check(not c.conn.stray, "%s: messages that answer nothing we sent: %s" % (c.origin, short(c.conn.stray)))
        await c.conn.close()
    env.stop_daemon()
    T.section = "daemon"
    T.check(env.daemon.returncode == 0, "cardbridged exited %s on SIGTERM" % env.daemon.returncode)
    test_audit(env)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--daemon", required=True)
    ap.add_argument("--vcard-ctl", required=True)
    ap.add_argument("--pki", required=True)
    ap.add_argument("--pinentry", required=True)
    ap.add_argument("--version", required=True)
    args = ap.parse_args()
    for k in ("daemon", "vcard_ctl", "pki", "pinentry"):
        setattr(args, k, os.path.abspath(getattr(args, k)))

    T.section = "check code"
    for text, code in ec.CHECK_CODE_VECTORS:
        T.check(ec.check_code(text) == code, "check code of %r is %s, the design notes say %s"
                % (text, ec.check_code(text), code))

    t0 = time.monotonic()
    env = None
    try:
        env = Env(args)
        asyncio.run(asyncio.wait_for(run(env), 90))
    except Fatal as e:
        T.failed.append("[%s] FATAL %s" % (T.section, e))
        print("FATAL [%s] %s" % (T.section, e))
    except BaseException as e:  # noqa: BLE001 - reported, then the daemon is stopped
        T.failed.append("[%s] FATAL %r" % (T.section, e))
        traceback.print_exc()
    finally:
        if env:
            env.stop_daemon()
    print("legacy_client: %.1f s" % (time.monotonic() - t0))
    if T.failed and env:
        print("--- cardbridged log (last 60 lines)")
        try:
            with open(env.daemon_log, encoding="utf-8", errors="replace") as f:
                print("".join(f.readlines()[-60:]))
        except OSError:
            pass
    if env:
        shutil.rmtree(env.tmp, ignore_errors=True)
    print("%d passed, %d failed" % (T.passed, len(T.failed)))
    for f in T.failed:
        print("  " + f)
    sys.exit(1 if T.failed else 0)


if __name__ == "__main__":
    main()
