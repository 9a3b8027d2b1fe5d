"""What every part of the legacy test shares: the origins and PINs the daemon is configured
with, the tally of checks, the envelope checks every call goes through, and the record of the
signatures the audit log is later compared against.

The tally (T), the record (SIGNED) and the `_id` counter (Session.next_id) exist once, here, so
that the entry point and every checks_* module count into the same place; nothing in this
directory may import legacy_client, which runs as __main__ and would be loaded a second time.
"""
import asyncio
import base64

import eport_client as ec

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


class CardUnderTest:
    """What the phases of one card's test share. The entry point fills in sign_b64, pub, start
    and end once the card is in; card_data replaces pub with the key of the certificate the daemon
    hands out, and the signing phases leave si, msg, sig_si and digest_b64 for the later ones."""

    def __init__(self, env, name, sw, np):
        self.env = env
        self.name = name
        self.sw = sw        # a connection from SW: may send PINs
        self.np = np        # a connection from NOPIN: may not
        self.card = env.card(name)
        self.alg = self.card["algorithm"]
        self.pin = self.card["pin"]
        self.cert_no = self.card["certNo"]
        self.crypto = env.crypto
        self.sign_b64 = self.pub = self.start = self.end = None
        self.si = self.msg = self.sig_si = self.digest_b64 = None
