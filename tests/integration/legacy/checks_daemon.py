"""Checks of the daemon as a whole rather than of one card: what a page sees on connecting, how
the card to use is chosen when there are several or none, and the audit log left at the end."""
import json

import websockets

import eport_client as ec
from eport_client import LegacyConnection, ProtocolError
from support import (CARDS, EVIL, NEW_PIN, SIGNED, TEXT, WRONG_PIN, T, b64, b64d, check_error, short,
                     wait_for_card)


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
