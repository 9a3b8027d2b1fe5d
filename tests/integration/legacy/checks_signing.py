"""One card, signing: argument checks, each signing method over a customs ds:SignedInfo and
other data, the digest methods and NoHash signing, and the daemon's own verification."""
import hashlib

from signatures import B64_LEN, CEB_BODY, SIG_LEN, signed_info
from support import TEXT, T, b64, b64d, short


async def arguments(c):
    """Values must be strings, required ones present."""
    sw, pin = c.sw, c.pin
    await sw.err("cus-sec_SpcSignDataAsPEM", {"inData": 12345, "passwd": pin}, 59011, "inData as a number",
                 text_contains="参数错误")
    await sw.err("cus-sec_SpcSignDataAsPEM", {"passwd": pin}, 59011, "without inData", text_contains="参数错误")


async def signs(c, method, args, message, label, rsa_hash="sha1"):
    """Calls a signing method and checks Data[1] is the certNo and Data[0] a signature of the
    key's size that openssl verifies over `message`; returns Data[0], or None."""
    sw, alg, crypto, pub, expect_no = c.sw, c.alg, c.crypto, c.pub, c.cert_no
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


async def signing(c):
    """Leaves the ds:SignedInfo and its signature for the digest, verification and PIN-change
    phases, which check against them."""
    alg, pin, crypto, pub, cert_no = c.alg, c.pin, c.crypto, c.pub, c.cert_no
    body = CEB_BODY % ("2f6a1c9e-7d3b-4e1a-9c55-%012d" % (int(cert_no, 16) % 10 ** 12))
    si = signed_info(alg, body)
    msg = si.encode()

    sig_si = await signs(c, "cus-sec_SpcSignDataAsPEM", {"inData": si, "passwd": pin}, msg, "ds:SignedInfo")
    if sig_si:   # the openssl check is a real one: it refuses the same signature over other data
        T.check(not crypto.verify(alg, pub, msg + b" ", b64d(sig_si)),
                "openssl accepted the signature over changed data: the test's verification is broken")
    await signs(c, "security_SpcSignDataAsPEM", {"inData": si, "passwd": pin}, msg, "security_ prefix")
    await signs(c, "cus-sec_SpcSignData", {"inData": si, "passwd": pin}, msg, "SpcSignData")
    await signs(c, "security_signData", {"inputData": si, "passwd": pin}, msg, "inputData")
    mixed = "报关单 declaration 179 \"sessionID\":\"ABC\"||\"serviceTime\":\"1700000000\"\n"
    await signs(c, "cus-sec_SpcSignDataAsPEM", {"inData": mixed, "passwd": pin}, mixed.encode(),
                "Chinese text and a newline, signed as UTF-8 exactly")
    rnd = "9f3b7c1e0a4d4a55b2e1c3d4e5f60718"
    await signs(c, "cus-sec_SpcSignRandom", {"random": rnd, "passwd": pin}, rnd.encode(), "SpcSignRandom")
    await signs(c, "security_SpcSignRandom", {"random": rnd, "passwd": pin}, rnd.encode(), "security_SpcSignRandom")
    raw = bytes(range(200, 256)) + b"\x00\x01binary"
    await signs(c, "cus-sec_SpcSignPemDataAsPem", {"inData": b64(raw), "passwd": pin}, raw, "base64 input")
    c.si, c.msg, c.sig_si = si, msg, sig_si


async def digests(c):
    sw, alg, pin, crypto, pub = c.sw, c.alg, c.pin, c.crypto, c.pub
    si, msg, sig_si = c.si, c.msg, c.sig_si
    want_digest = crypto.digest(alg, pub, msg)
    for m in ("cus-sec_SpcSHA1Digest", "cus-sec_SpcSHA1DigestAsPEM", "security_SpcSHA1DigestAsPEM"):
        d = await sw.ok(m, {"szInfo": si})
        T.check(d == [b64(want_digest)], "%s: %r, expected %s of the data %r"
                % (m, d, {"rsa1024": "SHA-1", "sm2": "SM3(Z‖M)", "p256": "SHA-256"}[alg], b64(want_digest)))
    d = await sw.ok("cus-sec_SpcSHA1Digest", {"szInfo": si})
    digest_b64 = d[0] if d else b64(want_digest)
    digest = b64d(digest_b64) or want_digest
    s1 = await signs(c, "cus-sec_SpcSignDataNoHash", {"inData": digest_b64, "passwd": pin}, msg,
                     "SpcSHA1Digest output, base64")
    await signs(c, "cus-sec_SpcSignDataNoHashAsPEM", {"inData": digest.hex(), "passwd": pin}, msg,
                "SpcSHA1Digest output, hex")
    if alg == "rsa1024":
        T.check(s1 == sig_si, "RSA: SpcSHA1Digest + SpcSignDataNoHash does not give the signature "
                "SpcSignDataAsPEM gives (PKCS#1 v1.5 is deterministic)")
        await signs(c, "cus-sec_SpcSignDataNoHashAsPEM",
                    {"inData": b64(hashlib.sha256(msg).digest()), "passwd": pin}, msg,
                    "a 32-byte digest on RSA is signed as SHA-256", rsa_hash="sha256")
    resp = await sw.raw("cus-sec_SpcSignDataNoHashAsPEM", {"inData": b64(b"\x01" * 16), "passwd": pin})
    T.check((resp.get("_args") or {}).get("Result") is False,
            "SpcSignDataNoHash signed a 16-byte 'digest' (no hash of this key has that size): %s" % short(resp))
    c.digest_b64 = digest_b64


async def verification(c):
    """The daemon's own verification needs no PIN."""
    sw, alg, crypto, pub, sign_b64 = c.sw, c.alg, c.crypto, c.pub, c.sign_b64
    si, sig_si, digest_b64 = c.si, c.sig_si, c.digest_b64
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
