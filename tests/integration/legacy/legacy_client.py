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
"""
import argparse
import asyncio
import base64
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eport_client as ec  # noqa: E402
from eport_client import LegacyConnection, ProtocolError  # noqa: E402

import websockets  # noqa: E402

SW = "https://www.singlewindow.cn"       # login, sign, sendPin
NOPIN = "http://nopin.example.test"      # login, sign; no sendPin
EVIL = "https://evil.example.test"       # not allowed
STUB_PIN = "88888888"                    # what the pinentry stub answers
WRONG_PIN = "13572468"
NEW_PIN = "24681357"
SM2_ID = b"1234567812345678"
CARDS = ["trade-legal-rsa", "trade-legal-sm2", "trade-legal-p256"]
SIGNING = {"SpcSignData", "SpcSignDataAsPEM", "SpcSignPemDataAsPem", "SpcSignRandom",
           "SpcSignDataNoHash", "SpcSignDataNoHashAsPEM", "signData"}

# ---------------------------------------------------------------------------------------------
# assertions


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = []
        self.section = ""

    def check(self, cond, msg):
        if cond:
            self.passed += 1
        else:
            self.failed.append("[%s] %s" % (self.section, msg))
            print("FAIL [%s] %s" % (self.section, msg), flush=True)
        return bool(cond)


T = Results()


class Fatal(Exception):
    pass


def short(obj, n=600):
    s = obj if isinstance(obj, str) else ec.dumps(obj)
    return s if len(s) <= n else s[:n] + "…(%d chars)" % len(s)


# ---------------------------------------------------------------------------------------------
# openssl


class Crypto:
    """Certificate facts and signature checks through the openssl command line."""

    def __init__(self, workdir):
        self.dir = workdir
        self.n = 0

    def _file(self, name, data):
        self.n += 1
        path = os.path.join(self.dir, "%d-%s" % (self.n, name))
        with open(path, "wb") as f:
            f.write(data)
        return path

    def openssl(self, *args, data=None):
        return subprocess.run(["openssl", *args], input=data, capture_output=True)

    def pubkey(self, cert_der):
        p = self.openssl("x509", "-inform", "der", "-pubkey", "-noout", data=cert_der)
        if p.returncode:
            raise Fatal("openssl cannot read the certificate: %s" % p.stderr.decode())
        return self._file("pub.pem", p.stdout)

    def validity(self, cert_der):
        """(notBefore, notAfter) as yyyyMMddHHmmss in UTC+8."""
        p = self.openssl("x509", "-inform", "der", "-noout", "-startdate", "-enddate", data=cert_der)
        out = {}
        for line in p.stdout.decode().splitlines():
            k, _, v = line.partition("=")
            t = datetime.datetime.strptime(" ".join(v.split()), "%b %d %H:%M:%S %Y %Z")
            out[k] = (t + datetime.timedelta(hours=8)).strftime("%Y%m%d%H%M%S")
        return out["notBefore"], out["notAfter"]

    @staticmethod
    def sm2_point(pub_pem_path):
        with open(pub_pem_path) as f:
            der = base64.b64decode("".join(l for l in f.read().splitlines() if "-----" not in l))
        assert der[-65] == 4
        return der[-64:]

    def sm3_z_m(self, pub_pem_path, message):
        """SM3(Z ‖ M) for the user ID 1234567812345678 (GB/T 32918.2)."""
        a = bytes.fromhex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC")
        b = bytes.fromhex("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93")
        gx = bytes.fromhex("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7")
        gy = bytes.fromhex("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0")
        z = hashlib.new("sm3", (len(SM2_ID) * 8).to_bytes(2, "big") + SM2_ID + a + b + gx + gy
                        + self.sm2_point(pub_pem_path)).digest()
        return hashlib.new("sm3", z + message).digest()

    @staticmethod
    def raw_to_der(sig):
        def integer(v):
            v = v.lstrip(b"\0") or b"\0"
            if v[0] & 0x80:
                v = b"\0" + v
            return b"\x02" + bytes([len(v)]) + v
        half = len(sig) // 2
        body = integer(sig[:half]) + integer(sig[half:])
        return b"\x30" + bytes([len(body)]) + body

    def verify(self, algorithm, pub, message, sig, rsa_hash="sha1"):
        """True when openssl verifies `sig` (as the daemon returns it) over `message`."""
        data = self._file("data", message)
        if algorithm == "rsa1024":
            s = self._file("sig", sig)
            p = self.openssl("dgst", "-" + rsa_hash, "-verify", pub, "-signature", s, data)
        elif algorithm == "sm2":
            if len(sig) != 64:
                return False
            s = self._file("sig.der", self.raw_to_der(sig))
            p = self.openssl("pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-digest", "sm3",
                             "-pkeyopt", "distid:" + SM2_ID.decode(), "-in", data, "-sigfile", s)
        elif algorithm == "p256":
            if len(sig) != 64:
                return False
            s = self._file("sig.der", self.raw_to_der(sig))
            p = self.openssl("dgst", "-sha256", "-verify", pub, "-signature", s, data)
        else:
            raise ValueError(algorithm)
        os.unlink(data)
        return p.returncode == 0

    def digest(self, algorithm, pub, message):
        if algorithm == "rsa1024":
            return hashlib.sha1(message).digest()
        if algorithm == "sm2":
            return self.sm3_z_m(pub, message)
        return hashlib.sha256(message).digest()


SIG_LEN = {"rsa1024": 128, "sm2": 64, "p256": 64}
B64_LEN = {"rsa1024": 172, "sm2": 88, "p256": 88}


# ---------------------------------------------------------------------------------------------
# the legacy envelope, checked on every answer


class Session:
    """Calls with envelope checks and `_id` bookkeeping, over one connection."""

    next_id = 100

    def __init__(self, conn, origin):
        self.conn = conn
        self.origin = origin

    @classmethod
    def new_id(cls, as_string=False):
        cls.next_id += 1
        return str(cls.next_id) if as_string else cls.next_id

    def envelope(self, method, _id, resp):
        ok = T.check(isinstance(resp, dict) and resp.get("_id") == _id and type(resp.get("_id")) is type(_id),
                     "%s: the answer's _id is %r, the request's was %r (the page cannot match them)"
                     % (method, resp.get("_id") if isinstance(resp, dict) else resp, _id))
        ok &= T.check(resp.get("_method") == method,
                      "%s: the answer's _method is %r (the official JS routes answers by it)"
                      % (method, resp.get("_method")))
        ok &= T.check(resp.get("_status") == "00",
                      "%s: _status is %r, not \"00\" (pages take it for a transport error)"
                      % (method, resp.get("_status")))
        a = resp.get("_args")
        ok &= T.check(isinstance(a, dict) and isinstance(a.get("Result"), bool)
                      and isinstance(a.get("Data"), list) and isinstance(a.get("Error"), list),
                      "%s: _args is not {Result: bool, Data: [], Error: []}: %s" % (method, short(resp)))
        return ok

    async def raw(self, method, args=None, _id=None, timeout=10, extra=None):
        _id = self.new_id() if _id is None else _id
        resp = await self.conn.call(method, args, _id=_id, timeout=timeout, extra=extra)
        self.envelope(method, _id, resp)
        base = method.split("_", 1)[1] if "_" in method else method
        if base in SIGNING and (resp.get("_args") or {}).get("Result") is True:
            SIGNED.append((method, self.origin))
        return resp

    async def ok(self, method, args=None, what="", _id=None, timeout=10):
        """Calls and expects Result true; returns Data (or None after a failed check)."""
        resp = await self.raw(method, args, _id=_id, timeout=timeout)
        a = resp.get("_args") or {}
        if T.check(a.get("Result") is True and a.get("Error") == [],
                   "%s%s from %s failed: %s" % (method, " (" + what + ")" if what else "", self.origin,
                                                short(resp))):
            return a.get("Data")
        return None

    async def err(self, method, args, code, what="", text=None, _id=None, text_contains=None):
        """Calls and expects failure `code` in the documented Error layout."""
        resp = await self.raw(method, args, _id=_id)
        check_error(method, resp, code, what, text, text_contains)
        return resp


SIGNED = []   # (method, origin) of every signature the daemon made


def check_error(method, resp, code, what="", text=None, text_contains=None):
    a = resp.get("_args") or {}
    label = "%s%s" % (method, " (" + what + ")" if what else "")
    err = a.get("Error") or []
    good = T.check(a.get("Result") is False and a.get("Data") == [] and len(err) == 2
                   and err[1] == "Err:Custom%d" % code,
                   "%s: expected failure Err:Custom%d, got %s" % (label, code, short(resp)))
    if not good or len(err) != 2:
        return
    e0 = err[0]
    T.check(isinstance(e0, str) and e0.startswith("[cardbridge]") and e0.endswith(":错误码=%d" % code),
            "%s: Error[0] is not \"[cardbridge]<text>:错误码=%d\": %r" % (label, code, e0))
    if text is not None:
        T.check(e0 == "[cardbridge]%s:错误码=%d" % (text, code),
                "%s: Error[0] is %r, LEGACY.md says %r" % (label, e0, "[cardbridge]%s:错误码=%d" % (text, code)))
    if text_contains is not None:
        T.check(text_contains in e0, "%s: Error[0] %r does not contain %r" % (label, e0, text_contains))


TEXT = {
    50200: "未检测到IC卡或Key，请插入后重试",
    59005: "插入了多张IC卡或Key，请只保留要使用的一张",
    59040: "验证签名失败",
}


def b64(data):
    return base64.b64encode(data).decode()


def b64d(text):
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        return None


def signed_info(algorithm, body):
    """A customs CEB ds:SignedInfo as integrators build it (design notes §7.5), without Chinese."""
    if algorithm == "sm2":
        sm, dm = ("http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3",
                  "http://www.chinaport.gov.cn/2022/04/xmldsig#sm3")
        dv = hashlib.new("sm3", body.encode()).digest()
    elif algorithm == "rsa1024":
        sm, dm = ("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2000/09/xmldsig#sha1")
        dv = hashlib.sha1(body.encode()).digest()
    else:
        sm, dm = ("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
                  "http://www.w3.org/2001/04/xmlenc#sha256")
        dv = hashlib.sha256(body.encode()).digest()
    return ('<ds:SignedInfo xmlns:ceb="http://www.chinaport.gov.cn/ceb" '
            'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315">'
            '</ds:CanonicalizationMethod>'
            '<ds:SignatureMethod Algorithm="%s"></ds:SignatureMethod>'
            '<ds:Reference URI=""><ds:Transforms>'
            '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"></ds:Transform>'
            '</ds:Transforms><ds:DigestMethod Algorithm="%s"></ds:DigestMethod>'
            '<ds:DigestValue>%s</ds:DigestValue></ds:Reference></ds:SignedInfo>' % (sm, dm, b64(dv)))


CEB_BODY = ('<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="%s" version="1.0">'
            '<ceb:Order><ceb:OrderHead><ceb:orderNo>ORDER-2026-0001</ceb:orderNo>'
            '<ceb:ebpCode>9999910001</ceb:ebpCode><ceb:goodsValue>100.00</ceb:goodsValue>'
            '</ceb:OrderHead></ceb:Order></ceb:CEB311Message>')


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


async def wait_for_card(s, expect, what, timeout=8.0):
    """Polls cus-sec_SpcGetCertNo until the daemon sees the cards we left in the readers:
    expect is a certNo, or an error code. Returns the last answer."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    resp = None
    while loop.time() < deadline:
        resp = await s.conn.call("cus-sec_SpcGetCertNo", {}, _id=Session.new_id(),
                                 timeout=max(0.5, min(3.0, deadline - loop.time())))
        a = resp.get("_args") or {}
        if isinstance(expect, str) and a.get("Result") is True and a.get("Data") == [expect]:
            return resp
        if isinstance(expect, int) and a.get("Error", [None, None])[1:] == ["Err:Custom%d" % expect]:
            return resp
        await asyncio.sleep(0.1)
    T.check(False, "%s: cus-sec_SpcGetCertNo still answers %s after %.0f s (expected %r)"
            % (what, short(resp), timeout, expect))
    return resp


# ---- connecting --------------------------------------------------------------------------------

async def test_connecting(env, s):
    T.section = "connect"
    hello = s.conn.hello
    want = {"_id": 0, "_method": "open", "_status": "00",
            "_args": {"Result": True, "Data": ["cardbridge", env.args.version], "Error": []}}
    T.check(hello == want, "the first message on connect is not the open hello %s: %s"
            % (ec.dumps(want), short(hello)))
    T.check(isinstance(hello, dict) and type(hello.get("_id")) is int,
            "the hello's _id is not the number 0: %s" % short(hello))

    for origin, label in ((EVIL, "a disallowed origin"), (None, "a client without Origin")):
        try:
            c = await LegacyConnection.open(env.uri, origin, timeout=2)
        except websockets.exceptions.InvalidStatusCode as e:
            T.check(e.status_code == 403, "%s got HTTP %s, not 403" % (label, e.status_code))
        except ProtocolError as e:
            T.check(False, "%s: upgraded but %s" % (label, e))
        else:
            T.check(False, "%s was let in and got %s (must be HTTP 403 before the upgrade)"
                    % (label, "no hello" if c.hello is None else short(c.hello)))
            await c.close()

    # _id echoed in its own type; _method echoed; extra members ignored.
    for _id in (7, "8", 0):
        d = await s.ok("ver", {}, "_id %r" % (_id,), _id=_id)
    resp = await s.raw("ver", {"someIntegratorField": "x"}, extra={"callbackName": "cb1", "_ts": 17})
    T.check((resp.get("_args") or {}).get("Result") is True,
            "a request with extra members (integrators add their own) failed: %s" % short(resp))

    versions = ["1.5.12", "cardbridge " + env.args.version]
    for m in ("ver", "cus-sec_GetVersions", "security_GetVersions", "swc_GetVersions"):
        d = await s.ok(m, {})
        T.check(d == versions, "%s answers %r, LEGACY.md says %r" % (m, d, versions))
    d = await s.ok("ra_Is903Reader", {})
    T.check(d == ["0"], "ra_Is903Reader answers %r, not [\"0\"] (the login page would take the "
            "new-reader path cardbridge does not serve)" % (d,))

    # base64 helpers (no card involved)
    text = "cardbridge 测试 <ds:SignedInfo/> \n\"quoted\""
    d = await s.ok("cus-sec_SpcEncodePEM", {"inData": text})
    T.check(d == [b64(text.encode())], "SpcEncodePEM(%r) gave %r, not base64 of its UTF-8 bytes" % (text, d))
    if d:
        d2 = await s.ok("cus-sec_SpcDecodePEMAsString", {"inData": d[0]})
        T.check(d2 == [text], "SpcDecodePEMAsString(SpcEncodePEM(x)) gave %r, not x = %r" % (d2, text))
    blob = bytes(range(256)) + b"\xff\xfe\x00"
    d = await s.ok("security_SpcDecodePEM", {"inData": b64(blob)})
    T.check(bool(d) and b64d(d[0]) == blob,
            "SpcDecodePEM of base64 bytes did not give the same bytes back as base64: %r" % (d,))
    await s.err("cus-sec_SpcDecodePEMAsString", {"inData": b64(b"\xff\xfe\xc3(")}, 59011,
                "bytes that are not UTF-8")

    # unknown and refused methods; the connection stays usable
    for m in ("cus-sec_SpcNoSuchMethod", "nosuch", "security_getValidTimeAllX"):
        await s.err(m, {}, 59012, text="不支持的方法：" + m)
    refused = ["base_choosefile", "base_OpenFileAsBase64", "upload_FileBatchUpload", "pdf-scan_PdfScan",
               "pdf-sign_PdfView", "pdf-es_Sign", "update", "fullupdate", "getfilepath",
               "mofcom_SignMessage", "jsca_JSCASignData", "txrn_TXRNSignData", "ra_WriteCpuCard",
               "ra_identifyFirstStep", "swc_postdata", "cus-sec_SpcRSAEncrypt", "cus-sec_SpcRSADecrypt",
               "cus-sec_SpcGetCardAttachInfo", "security_SpcGetCardAttachInfoAsPEM",
               "security_PdfAddSign", "security_LocalPdfAddSign", "security_DeleteSignedTempFile"]
    for m in refused:
        await s.err(m, {"path": "/etc/passwd"}, 59013, text="cardbridge不提供此功能：" + m)
    d = await s.ok("ver", {}, "right after refused methods")
    T.check(d == versions, "the connection does not answer normally after refused methods: %r" % (d,))


# ---- which card --------------------------------------------------------------------------------

async def test_which_card(env, s):
    T.section = "which card"
    resp = await wait_for_card(s, 59005, "three cards inserted")
    check_error("cus-sec_SpcGetCertNo", resp, 59005, "three cards", text=TEXT[59005])
    await s.err("cus-sec_SpcInitEnvEx", {}, 59005, "three cards", text=TEXT[59005])
    await s.err("cus-sec_SpcSignDataAsPEM", {"inData": "x", "passwd": "88888888"}, 59005, "three cards",
                text=TEXT[59005])
    for c in CARDS:
        env.ctl(c, "remove")
    resp = await wait_for_card(s, 50200, "every card removed")
    check_error("cus-sec_SpcGetCertNo", resp, 50200, "no card", text=TEXT[50200])
    await s.err("cus-sec_SpcInitEnvEx", {}, 50200, "no card", text=TEXT[50200])
    await s.err("security_SpcGetSignCertAsPEM", {}, 50200, "no card", text=TEXT[50200])
    d = await s.ok("cus-sec_SpcClearEnv", {}, "no card")
    T.check(d == [], "SpcClearEnv without a card: Data %r, not []" % (d,))
    # two of three: still ambiguous
    env.ctl("trade-legal-rsa", "insert")
    env.ctl("trade-legal-p256", "insert")
    await wait_for_card(s, 59005, "two cards inserted")
    env.ctl("trade-legal-rsa", "remove")
    env.ctl("trade-legal-p256", "remove")
    await wait_for_card(s, 50200, "both removed again")


# ---- one card ----------------------------------------------------------------------------------

async def test_card(env, name, sw, np, extra=None):
    T.section = name
    card = env.card(name)
    alg = card["algorithm"]
    pin = card["pin"]
    crypto = env.crypto
    env.ctl(name, "insert")
    await wait_for_card(sw, card["certNo"], "only %s inserted" % name)
    sign_b64 = b64(card["9c"])
    pub = crypto.pubkey(card["9c"])
    start, end = crypto.validity(card["9c"])

    # -- environment
    for m, a in (("cus-sec_SpcInitEnvEx", {}), ("cus-sec_SpcClearEnv", {}),
                 ("cus-sec_SpcSetInitEnvPriority", {"szInitEnvPriority": "2,1"}),
                 ("security_SpcInitEnvEx", {})):
        d = await sw.ok(m, a)
        T.check(d == [], "%s: Data %r, not []" % (m, d))

    # -- card and certificate data
    cert_no = card["certNo"]
    card_id_expected = card["card_id"]
    ent_id = card["customs_code"] or card["uscc"] or card["org_code"] or ""
    role = {"legal-person": "法人卡", "operator": "操作员卡"}.get(card["role"], "")
    d = await sw.ok("cus-sec_SpcGetCertNo", {}, _id=Session.new_id(as_string=True))
    T.check(d == [cert_no], "SpcGetCertNo: %r, the card's 9C serial is %r" % (d, cert_no))
    T.check(len(cert_no) == (8 if alg == "rsa1024" else 16), "manifest certNo has an unexpected length")
    d = await sw.ok("cus-sec_SpcGetCardID", {})
    card_id = d[0] if d else None
    if card_id_expected is not None:
        T.check(d == [card_id_expected], "SpcGetCardID: %r, the card carries %r" % (d, card_id_expected))
    else:
        T.check(card_id == card["chuid_guid"],
                "SpcGetCardID on a card without an E-Port card ID: %r, not its CHUID GUID %s"
                % (d, card["chuid_guid"]))
        print("info: %s SpcGetCardID (CHUID GUID form) = %r" % (name, card_id))
    for m, want in (("SpcGetUName", card["holder"]), ("SpcGetEntID", ent_id),
                    ("SpcGetEntName", card["enterprise"]), ("SpcGetEntMode", "")):
        for prefix in ("cus-sec_", "security_"):
            d = await sw.ok(prefix + m, {})
            T.check(d == [want], "%s%s: %r, expected [%r]" % (prefix, m, d, want))
    fields = [cert_no, card["holder"], card["enterprise"], ent_id, "", card_id_expected or card_id or "",
              "", card["uscc"] or "", card["org_code"] or "", card["customs_code"] or "", role, start, end]
    want_info = "||".join(fields)
    d = await sw.ok("cus-sec_SpcGetCardUserInfo", {})
    T.check(d == [want_info], "SpcGetCardUserInfo: %r, expected %r" % (d, [want_info]))
    if d and isinstance(d[0], str):
        got = d[0].split("||")
        T.check(len(got) == 13, "SpcGetCardUserInfo has %d fields, not 13" % len(got))
        for i, (g, w) in enumerate(zip(got, fields)):
            T.check(g == w, "user info field %d is %r, expected %r" % (i, g, w))
    d = await sw.ok("security_getGetCardUserInfoAll", {})
    T.check(d == [want_info], "security_getGetCardUserInfoAll: %r, expected %r" % (d, [want_info]))
    d = await sw.ok("security_getGetCardUserInfoAll", {"userpin": pin}, "with userpin")
    T.check(d == [want_info], "security_getGetCardUserInfoAll with userpin: %r" % (d,))
    for m in ("cus-sec_SpcGetSignCert", "cus-sec_SpcGetSignCertAsPEM", "security_SpcGetSignCertAsPEM"):
        d = await sw.ok(m, {})
        T.check(d == [sign_b64], "%s is not the base64 DER of the card's slot 9C certificate: %s"
                % (m, short(d, 120)))
    for m in ("cus-sec_SpcGetEnvCert", "cus-sec_SpcGetEnvCertAsPEM", "security_SpcGetEnvCert"):
        d = await sw.ok(m, {})
        T.check(d == [b64(card["9d"])], "%s is not the base64 DER of the card's slot 9D certificate: %s"
                % (m, short(d, 120)))
    # the certificate the daemon returned is what every signature below is checked against
    d = await sw.ok("cus-sec_SpcGetSignCertAsPEM", {})
    if d and b64d(d[0]):
        pub = crypto.pubkey(b64d(d[0]))

    want_time = [{"szStartTime": start, "szEndTime": end}]
    d = await sw.ok("cus-sec_SpcGetValidTimeFromCert", {})
    T.check(d == want_time, "SpcGetValidTimeFromCert (card): %r, expected %r (UTC+8)" % (d, want_time))
    d = await sw.ok("security_SpcGetValidTimeFromCert", {})
    T.check(d == want_time, "security_SpcGetValidTimeFromCert (card): %r, expected %r" % (d, want_time))
    other = env.manifest["cards"]["trade-operator-sm2-expired"]["directory"]
    with open(os.path.join(env.args.pki, other, "9c.crt.der"), "rb") as f:
        other_der = f.read()
    o_start, o_end = crypto.validity(other_der)
    want_other = [{"szStartTime": o_start, "szEndTime": o_end}]
    other_pem = ("-----BEGIN CERTIFICATE-----\n"
                 + "\n".join(b64(other_der)[i:i + 64] for i in range(0, len(b64(other_der)), 64))
                 + "\n-----END CERTIFICATE-----\n")
    for m, a, label in (("cus-sec_SpcGetValidTimeFromCert", {"cert": b64(other_der)}, "cert = base64 DER"),
                        ("cus-sec_SpcGetValidTimeFromCert", {"cert": other_pem}, "cert = PEM"),
                        ("security_SpcGetValidTimeFromCert", {"certByteArray": b64(other_der)},
                         "certByteArray"),
                        ("cus-sec_SpcGetValidTimeFromCert", {"certByteArray": other_pem},
                         "certByteArray under cus-sec_")):
        d = await sw.ok(m, a, label)
        T.check(d == want_other, "%s (%s): %r, expected the given certificate's %r" % (m, label, d, want_other))

    # -- argument checks: values must be strings, required ones present
    await sw.err("cus-sec_SpcSignDataAsPEM", {"inData": 12345, "passwd": pin}, 59011, "inData as a number",
                 text_contains="参数错误")
    await sw.err("cus-sec_SpcSignDataAsPEM", {"passwd": pin}, 59011, "without inData", text_contains="参数错误")

    # -- PIN: a PIN from an origin without sendPin never reaches the card
    await np.err("cus-sec_SpcVerifyPIN", {"passwd": WRONG_PIN}, 59021, "PIN from %s" % NOPIN,
                 text_contains="此网站无权进行此操作")
    await np.err("cus-sec_SpcSignDataAsPEM", {"inData": "abc", "passwd": pin}, 59021,
                 "PIN from %s" % NOPIN, text_contains="此网站无权进行此操作")
    await np.err("security_login", {"passwd": WRONG_PIN}, 59021, "PIN from %s" % NOPIN)
    await np.err("security_getGetCardUserInfoAll", {"userpin": WRONG_PIN}, 59021, "userpin from %s" % NOPIN)
    # a wrong PIN: two tries left (so the refused ones above did not count), and it is not retried
    tries = "口令错误，还可以尝试2次"
    await sw.err("cus-sec_SpcVerifyPIN", {"passwd": WRONG_PIN}, 59001,
                 "wrong PIN; the card's counter must be untouched by the %s attempts" % NOPIN, text=tries)
    d = await sw.ok("cus-sec_SpcVerifyPIN", {"passwd": pin}, "right PIN after a wrong one")
    T.check(d == [], "SpcVerifyPIN: Data %r, not []" % (d,))
    await sw.err("cus-sec_SpcVerifyPINAll", {"passwd": WRONG_PIN}, 59001,
                 "wrong PIN after a right one: the counter is back at 3", text=tries)
    for m, a in (("cus-sec_SpcVerifyPINAll", {"passwd": pin}), ("security_login", {"passwd": pin}),
                 ("swc_security_login", {"passwd": pin}), ("security_SpcVerifyPIN", {"passwd": pin})):
        d = await sw.ok(m, a)
        T.check(d == [], "%s: Data %r, not []" % (m, d))

    # -- signing
    body = CEB_BODY % ("2f6a1c9e-7d3b-4e1a-9c55-%012d" % (int(cert_no, 16) % 10 ** 12))
    si = signed_info(alg, body)
    msg = si.encode()

    async def signs(method, args, message, label, rsa_hash="sha1", expect_no=cert_no):
        d = await sw.ok(method, args, label)
        if not d:
            return None
        T.check(len(d) == 2 and d[1] == expect_no, "%s (%s): Data[1] is %r, not the certNo %r"
                % (method, label, d[1:] if len(d) > 1 else None, expect_no))
        sig = b64d(d[0]) if d and isinstance(d[0], str) else None
        T.check(sig is not None and len(d[0]) == B64_LEN[alg] and len(sig) == SIG_LEN[alg],
                "%s (%s): the signature is %s (%s), expected %d base64 characters (%d bytes %s)"
                % (method, label, "%d base64 characters" % len(d[0]) if sig is not None else "not base64",
                   short(d[:1], 100), B64_LEN[alg], SIG_LEN[alg],
                   "r‖s" if alg != "rsa1024" else "PKCS#1"))
        if sig is not None:
            T.check(crypto.verify(alg, pub, message, sig, rsa_hash),
                    "%s (%s): openssl does not verify the signature over the data with the certificate "
                    "from SpcGetSignCertAsPEM (%s)" % (method, label, alg))
        return d[0] if sig is not None else None

    sig_si = await signs("cus-sec_SpcSignDataAsPEM", {"inData": si, "passwd": pin}, msg, "ds:SignedInfo")
    if sig_si:   # the openssl check is a real one: it refuses the same signature over other data
        T.check(not crypto.verify(alg, pub, msg + b" ", b64d(sig_si)),
                "openssl accepted the signature over changed data: the test's verification is broken")
    await signs("security_SpcSignDataAsPEM", {"inData": si, "passwd": pin}, msg, "security_ prefix")
    await signs("cus-sec_SpcSignData", {"inData": si, "passwd": pin}, msg, "SpcSignData")
    await signs("security_signData", {"inputData": si, "passwd": pin}, msg, "inputData")
    mixed = "报关单 declaration 179 \"sessionID\":\"ABC\"||\"serviceTime\":\"1700000000\"\n"
    await signs("cus-sec_SpcSignDataAsPEM", {"inData": mixed, "passwd": pin}, mixed.encode(),
                "Chinese text and a newline, signed as UTF-8 exactly")
    rnd = "9f3b7c1e0a4d4a55b2e1c3d4e5f60718"
    await signs("cus-sec_SpcSignRandom", {"random": rnd, "passwd": pin}, rnd.encode(), "SpcSignRandom")
    await signs("security_SpcSignRandom", {"random": rnd, "passwd": pin}, rnd.encode(), "security_SpcSignRandom")
    raw = bytes(range(200, 256)) + b"\x00\x01binary"
    await signs("cus-sec_SpcSignPemDataAsPem", {"inData": b64(raw), "passwd": pin}, raw, "base64 input")

    # -- digests and NoHash
    want_digest = crypto.digest(alg, pub, msg)
    for m in ("cus-sec_SpcSHA1Digest", "cus-sec_SpcSHA1DigestAsPEM", "security_SpcSHA1DigestAsPEM"):
        d = await sw.ok(m, {"szInfo": si})
        T.check(d == [b64(want_digest)], "%s: %r, expected %s of the data %r"
                % (m, d, {"rsa1024": "SHA-1", "sm2": "SM3(Z‖M)", "p256": "SHA-256"}[alg], b64(want_digest)))
    d = await sw.ok("cus-sec_SpcSHA1Digest", {"szInfo": si})
    digest_b64 = d[0] if d else b64(want_digest)
    digest = b64d(digest_b64) or want_digest
    s1 = await signs("cus-sec_SpcSignDataNoHash", {"inData": digest_b64, "passwd": pin}, msg,
                     "SpcSHA1Digest output, base64")
    await signs("cus-sec_SpcSignDataNoHashAsPEM", {"inData": digest.hex(), "passwd": pin}, msg,
                "SpcSHA1Digest output, hex")
    if alg == "rsa1024":
        T.check(s1 == sig_si, "RSA: SpcSHA1Digest + SpcSignDataNoHash does not give the signature "
                "SpcSignDataAsPEM gives (PKCS#1 v1.5 is deterministic)")
        await signs("cus-sec_SpcSignDataNoHashAsPEM",
                    {"inData": b64(hashlib.sha256(msg).digest()), "passwd": pin}, msg,
                    "a 32-byte digest on RSA is signed as SHA-256", rsa_hash="sha256")
    resp = await sw.raw("cus-sec_SpcSignDataNoHashAsPEM", {"inData": b64(b"\x01" * 16), "passwd": pin})
    T.check((resp.get("_args") or {}).get("Result") is False,
            "SpcSignDataNoHash signed a 16-byte 'digest' (no hash of this key has that size): %s" % short(resp))

    # -- verification (no PIN)
    if sig_si:
        d = await sw.ok("cus-sec_SpcVerifySignData", {"inData": si, "signData": sig_si}, "card certificate")
        T.check(d == ["成功!"], "SpcVerifySignData of a good signature: %r, not [\"成功!\"]" % (d,))
        d = await sw.ok("security_SpcVerifySignData",
                        {"inData": si, "signData": sig_si, "certDataPEM": sign_b64}, "certDataPEM base64 DER")
        T.check(d == ["成功!"], "SpcVerifySignData with certDataPEM: %r" % (d,))
        pem = ("-----BEGIN CERTIFICATE-----\n" + "\n".join(sign_b64[i:i + 64] for i in range(0, len(sign_b64), 64))
               + "\n-----END CERTIFICATE-----\n")
        d = await sw.ok("cus-sec_SpcVerifySignData", {"inData": si, "signData": sig_si, "certDataPEM": pem},
                        "certDataPEM as PEM")
        T.check(d == ["成功!"], "SpcVerifySignData with a PEM certDataPEM: %r" % (d,))
        await sw.err("cus-sec_SpcVerifySignData", {"inData": si + " ", "signData": sig_si}, 59040,
                     "changed data", text=TEXT[59040])
        bad = bytearray(b64d(sig_si))
        bad[len(bad) // 2] ^= 0x01
        await sw.err("cus-sec_SpcVerifySignData", {"inData": si, "signData": b64(bytes(bad))}, 59040,
                     "damaged signature", text=TEXT[59040])
        d = await sw.ok("cus-sec_SpcVerifySignDataNoHash", {"inData": digest_b64, "signData": sig_si},
                        "digest + signature")
        T.check(d == ["成功!"], "SpcVerifySignDataNoHash of a good signature: %r" % (d,))
        await sw.err("cus-sec_SpcVerifySignDataNoHash",
                     {"inData": b64(crypto.digest(alg, pub, b"other")), "signData": sig_si}, 59040,
                     "digest of other data", text=TEXT[59040])

    # -- the PIN prompt: no passwd (or an empty one) from an origin without sendPin
    if pin == STUB_PIN:
        before = open(env.pinlog, encoding="utf-8", errors="replace").read() if os.path.exists(env.pinlog) else ""
        data = "signed after the daemon's own PIN prompt " + name
        d = await np.ok("cus-sec_SpcSignDataAsPEM", {"inData": data}, "no passwd: the pinentry stub answers")
        if d:
            T.check(crypto.verify(alg, pub, data.encode(), b64d(d[0]) or b""),
                    "the signature made with the prompted PIN does not verify")
            T.check(d[1:] == [cert_no], "Data[1] is not the certNo: %r" % (d[1:],))
        after = open(env.pinlog, encoding="utf-8", errors="replace").read() if os.path.exists(env.pinlog) else ""
        T.check(len(after) > len(before) and "nopin.example.test" in after[len(before):],
                "the PIN prompt (pinentry) was not shown, or does not name the site: %r" % after[len(before):])
        d = await np.ok("cus-sec_SpcSignDataAsPEM", {"inData": data, "passwd": ""},
                        "an empty passwd counts as absent")
        if d:
            T.check(crypto.verify(alg, pub, data.encode(), b64d(d[0]) or b""),
                    "the signature with an empty passwd (prompted PIN) does not verify")
        d = await np.ok("cus-sec_SpcGetCertNo", {}, "no PIN needed")
        T.check(d == [cert_no], "SpcGetCertNo from %s: %r" % (NOPIN, d))

    # -- changing the PIN, and back
    await sw.err("cus-sec_SpcChangePIN", {"oldPin": pin}, 59011, "oldPin without newPin")
    new = NEW_PIN[:len(pin)]
    d = await sw.ok("cus-sec_SpcChangePIN", {"oldPin": pin, "newPin": new}, "to a new PIN")
    T.check(d == [], "SpcChangePIN: Data %r, not []" % (d,))
    await sw.ok("cus-sec_SpcVerifyPIN", {"passwd": new}, "the new PIN")
    await signs("cus-sec_SpcSignDataAsPEM", {"inData": si, "passwd": new}, msg, "signed with the new PIN")
    d = await sw.ok("security_SpcChangePIN", {"oldPin": new, "newPin": pin}, "back to the old PIN")
    await sw.ok("cus-sec_SpcVerifyPIN", {"passwd": pin}, "the original PIN again")

    if extra:
        await extra(env, card, sw, np, pub)
    env.ctl(name, "remove")
    await wait_for_card(sw, 50200, "%s removed" % name)


# ---- BLOCKTXT, refused methods, concurrency (on the SM2 card) ------------------------------------

async def sm2_extra(env, card, sw, np, pub):
    T.section = card["directory"].split("/")[-1] + " BLOCKTXT"
    crypto = env.crypto
    pin = card["pin"]
    cert_no = card["certNo"]
    conn = sw.conn

    def next_block_shape(msg, guid, label):
        d = ((msg.get("_args") or {}).get("Data") or [{}])[0]
        return T.check(msg.get("_method") == "_nextBlock" and msg.get("_status") == "00"
                       and isinstance(d, dict) and d.get("guid") == guid and isinstance(d.get("next"), int)
                       and isinstance(d.get("finish"), bool),
                       "%s: malformed _nextBlock %s" % (label, short(msg)))

    async def blocks(method, args, label, corrupt=(), _id=None, timeout=40, **kw):
        _id = Session.new_id() if _id is None else _id
        try:
            resp, seen, br = await conn.call_blocks(method, args, _id=_id, corrupt=corrupt, timeout=timeout,
                                                    **kw)
        except ProtocolError as e:
            T.check(False, "%s: %s" % (label, e))
            return None, [], None
        sw.envelope(method, _id, resp)
        for i, s in enumerate(seen):
            next_block_shape(s["answer"], br.guid, label)
        return resp, seen, br

    # one request in a single block (block count 1)
    resp, seen, br = await blocks("cus-sec_SpcGetCertNo", {}, "a one-block BLOCKTXT request")
    if resp:
        T.check(len(seen) == 1 and seen[0]["answer"]["_args"]["Data"][0].get("finish") is True
                and seen[0]["answer"]["_args"]["Result"] is True,
                "one-block request: _nextBlock does not say finish: %s" % short([s["answer"] for s in seen]))
        T.check(resp["_args"].get("Data") == [cert_no], "one-block SpcGetCertNo: %s" % short(resp))

    # 10 MiB inData, ASCII with some Chinese, through BLOCKTXT
    unit = (signed_info("sm2", CEB_BODY % "c0ffee00-0000-4000-8000-000000000000") + "\n报关数据测试，中国电子口岸。")
    target = 10 * 1024 * 1024
    reps = target // len(unit.encode())
    big = unit * reps
    big += "x" * (target - len(big.encode()))
    assert len(big.encode()) == target and ec.js_length(big) != target
    t0 = time.monotonic()
    _id = Session.new_id(as_string=True)
    resp, seen, br = await blocks("cus-sec_SpcSignDataAsPEM", {"inData": big, "passwd": pin},
                                  "10 MiB inData in BLOCKTXT frames", _id=_id, timeout=45)
    print("info: 10 MiB SpcSignDataAsPEM in %d BLOCKTXT frames took %.1f s"
          % (len(br.blocks) if br else 0, time.monotonic() - t0))
    if resp:
        nb = len(br.blocks)
        T.check(nb > 80, "the 10 MiB request was cut into only %d blocks" % nb)
        T.check(len(seen) == nb, "%d frames were needed for %d blocks (no corruption was sent)" % (len(seen), nb))
        for i, s in enumerate(seen):
            a = s["answer"]["_args"]
            d = a["Data"][0]
            last = i == nb - 1
            if not T.check(a["Result"] is True and d.get("finish") is last and (last or d.get("next") == i + 1),
                           "10 MiB upload: the answer to block %d is %s (expected Result true, next %d, finish %s)"
                           % (i, short(s["answer"]), i + 1, last)):
                break
        a = resp["_args"]
        if T.check(a.get("Result") is True, "10 MiB SpcSignDataAsPEM failed: %s" % short(resp)):
            SIGNED.append(("cus-sec_SpcSignDataAsPEM", SW))
            T.check(a["Data"][1:] == [cert_no], "10 MiB: Data[1] %r is not the certNo" % (a["Data"][1:],))
            T.check(crypto.verify("sm2", pub, big.encode(), b64d(a["Data"][0]) or b""),
                    "10 MiB: openssl does not verify the SM2 signature over the 10 MiB of UTF-8")

    # a damaged block is asked for again; the resent one completes the call
    mid = "<ceb:Item>%06d 货物 goods</ceb:Item>"
    medium = "".join(mid % i for i in range(12000))
    resp, seen, br = await blocks("cus-sec_SpcSignDataAsPEM", {"inData": medium, "passwd": pin},
                                  "block 1 sent damaged first", corrupt=(1,))
    if resp:
        T.check(len(br.blocks) >= 3, "the medium request has only %d blocks" % len(br.blocks))
        bad = [s for s in seen if s["corrupt"]]
        if T.check(len(bad) == 1, "the damaged block was not answered (%s)" % short([s["answer"] for s in seen])):
            a = bad[0]["answer"]["_args"]
            d = a["Data"][0]
            T.check(a["Result"] is False and d.get("next") == 1 and d.get("finish") is False,
                    "a block with a wrong check code got %s, not Result false asking for block 1 again"
                    % short(bad[0]["answer"]))
        T.check([s["sent"] for s in seen] == [0, 1, 1] + list(range(2, len(br.blocks))),
                "blocks sent in the order %s: the resend was not driven as expected" % [s["sent"] for s in seen])
        a = resp["_args"]
        if T.check(a.get("Result") is True, "SpcSignDataAsPEM after a resent block failed: %s" % short(resp)):
            SIGNED.append(("cus-sec_SpcSignDataAsPEM", SW))
            T.check(crypto.verify("sm2", pub, medium.encode(), b64d(a["Data"][0]) or b""),
                    "after a resent block, the signature does not verify over the data")

    # characters outside the BMP (surrogate pairs): lengths and check codes count UTF-16 units
    astral = ("𠀀𝄞😀 emoji and rare 汉字 text " * 9000)
    resp, seen, br = await blocks("cus-sec_SpcSignDataAsPEM", {"inData": astral, "passwd": pin},
                                  "inData with characters outside the BMP")
    if resp and T.check(resp["_args"].get("Result") is True,
                        "BLOCKTXT with surrogate pairs failed: %s" % short(resp)):
        SIGNED.append(("cus-sec_SpcSignDataAsPEM", SW))
        T.check(crypto.verify("sm2", pub, astral.encode(), b64d(resp["_args"]["Data"][0]) or b""),
                "BLOCKTXT with surrogate pairs: the signature does not verify over the data")

    # a block that never arrives intact: dropped after 3 x (block count) refusals, and answered
    two = "<ceb:Item>重复 %06d</ceb:Item>"
    two = "".join(two % i for i in range(5000))
    resp, seen, br = await blocks("cus-sec_SpcSignDataAsPEM", {"inData": two, "passwd": pin},
                                  "block 0 damaged every time", corrupt_always=True)
    if resp:
        refusals = [s for s in seen if s["answer"]["_args"].get("Result") is False]
        T.check(len(br.blocks) == 2, "the request meant to have 2 blocks has %d" % len(br.blocks))
        T.check(1 <= len(refusals) <= 3 * len(br.blocks) and len(seen) <= 3 * len(br.blocks),
                "a block damaged every time: %d refusals before the request was dropped (LEGACY.md: "
                "after 3 x %d)" % (len(refusals), len(br.blocks)))
        a = resp.get("_args") or {}
        T.check(a.get("Result") is False and len(a.get("Error") or []) == 2,
                "a request dropped after too many bad blocks is not answered with a failure: %s" % short(resp))
        print("info: dropped after %d refusals; answered %s" % (len(refusals), short(a.get("Error"))))

    # limits: over 24 Mi UTF-16 units, over 1024 blocks; answered for the request's own _method and _id
    resp, seen, br = await blocks("cus-sec_SpcSignDataAsPEM", {"inData": two, "passwd": pin},
                                  "a header claiming 30 000 000 code units",
                                  claim={"total_size": 30000000})
    if resp:
        check_error("cus-sec_SpcSignDataAsPEM", resp, 59015, "BLOCKTXT total size over 24 Mi code units",
                    text="数据超过大小限制")
    resp, seen, br = await blocks("cus-sec_SpcSignDataAsPEM", {"inData": two, "passwd": pin},
                                  "a header claiming 1025 blocks", claim={"block_count": 1025})
    if resp:
        a = resp.get("_args") or {}
        T.check(a.get("Result") is False and len(a.get("Error") or []) == 2,
                "a BLOCKTXT request of 1025 blocks (limit 1024) was not refused: %s" % short(resp))
        print("info: 1025 blocks answered %s" % short(a.get("Error")))

    # at most 2 requests assembled at once per connection: the third is refused, the two complete
    three = [("%s 第%d份 " % (two, k)) for k in range(3)]
    ids = [Session.new_id() for _ in three]
    results = await asyncio.gather(*[blocks("cus-sec_SpcSignDataAsPEM", {"inData": t, "passwd": pin},
                                            "assembly %d of 3 at once" % k, _id=i)
                                     for k, (t, i) in enumerate(zip(three, ids))])
    outcome = [(r[0] or {}).get("_args", {}).get("Result") for r in results]
    T.check(outcome == [True, True, False], "three BLOCKTXT requests assembled at once on one connection "
            "(limit 2): Result %s, expected the first two to complete and the third to be refused" % outcome)
    for k, (resp, seen, br) in enumerate(results):
        if resp and resp["_args"].get("Result") is True:
            SIGNED.append(("cus-sec_SpcSignDataAsPEM", SW))
            T.check(crypto.verify("sm2", pub, three[k].encode(), b64d(resp["_args"]["Data"][0]) or b""),
                    "assembly %d of 3: the signature is not over its own data" % k)
        elif resp:
            print("info: the third assembly was answered %s" % short(resp["_args"].get("Error")))

    # refused and unknown methods through BLOCKTXT; the connection then answers a normal call
    for m, code, text in (("pdf-sign_PdfView", 59013, "cardbridge不提供此功能：pdf-sign_PdfView"),
                          ("base_choosefile", 59013, "cardbridge不提供此功能：base_choosefile"),
                          ("cus-sec_SpcNoSuch", 59012, "不支持的方法：cus-sec_SpcNoSuch")):
        resp, seen, br = await blocks(m, {"fileContent": "JVBERi0xLjQK" * 20000}, "%s in BLOCKTXT" % m)
        if resp:
            check_error(m, resp, code, "sent in BLOCKTXT", text=text)
    # swc_postdata: args is a JSON string, always in BLOCKTXT
    resp, seen, br = await blocks("swc_postdata", ec.dumps({"url": "http://x", "data": "y"}), "swc_postdata")
    if resp:
        check_error("swc_postdata", resp, 59013, "BLOCKTXT", text="cardbridge不提供此功能：swc_postdata")
    d = await sw.ok("cus-sec_SpcGetCertNo", {}, "after refused BLOCKTXT requests")
    T.check(d == [cert_no], "the connection does not answer normally after refused requests: %r" % (d,))

    # two signatures in flight on one connection, each answered under its own _id
    T.section = "trade-legal-sm2 concurrency"
    datas = {Session.new_id(): "first concurrent document <a>1</a>",
             Session.new_id(as_string=True): "second concurrent document 第二份 <b>2</b>" * 50}
    calls = [conn.call("cus-sec_SpcSignDataAsPEM", {"inData": v, "passwd": pin}, _id=k, timeout=30)
             for k, v in datas.items()]
    answers = await asyncio.gather(*calls, return_exceptions=True)
    for (k, v), resp in zip(datas.items(), answers):
        if not T.check(isinstance(resp, dict), "concurrent call _id %r: %r" % (k, resp)):
            continue
        sw.envelope("cus-sec_SpcSignDataAsPEM", k, resp)
        a = resp.get("_args") or {}
        if T.check(a.get("Result") is True, "concurrent SpcSignDataAsPEM _id %r failed: %s" % (k, short(resp))):
            SIGNED.append(("cus-sec_SpcSignDataAsPEM", SW))
            T.check(crypto.verify("sm2", pub, v.encode(), b64d(a["Data"][0]) or b""),
                    "concurrent call _id %r: the signature is not over this call's own data" % (k,))
    T.check(not conn.stray, "messages that answer nothing we sent: %s" % short(conn.stray))


# ---- the audit log ---------------------------------------------------------------------------

def test_audit(env):
    T.section = "audit log"
    pins = {"88888888", "123456", WRONG_PIN, NEW_PIN, NEW_PIN[:6]}
    try:
        with open(env.audit, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        T.check(False, "no audit log at %s: %s" % (env.audit, e))
        return
    lines = []
    for n, line in enumerate(text.splitlines()):
        try:
            lines.append(json.loads(line))
        except ValueError:
            T.check(False, "audit line %d is not JSON: %r" % (n + 1, line))
    for p in pins:
        leaked = [l for l in lines if any(p in str(v) for k, v in l.items() if k != "time")]
        T.check(not leaked and (len(p) < 8 or p not in text), "the audit log contains a PIN (%s): %s"
                % (p, short(leaked, 300)))
    signs = [l for l in lines if l.get("operation") == "sign"]
    ok = [l for l in signs if l.get("result") == "ok"]
    T.check(len(ok) == len(SIGNED), "the audit log has %d successful signatures, the test made %d"
            % (len(ok), len(SIGNED)))
    full = sorted(m for m, _ in SIGNED)
    got = sorted(l.get("purpose") or "" for l in ok)
    T.check(got == full, "audit purposes are not the legacy methods called (%s): got %s"
            % (sorted(set(full)), sorted(set(got))))
    T.check(sorted(l.get("origin") for l in ok) == sorted(o for _, o in SIGNED),
            "audit origins do not match the signing calls' origins")
    print("info: %d audit lines (%d signatures, %d ok)" % (len(lines), len(signs), len(ok)))


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
