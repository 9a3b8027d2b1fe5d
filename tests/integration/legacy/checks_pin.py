"""One card, the PIN: where a PIN may come from and how wrong ones count, the daemon's own PIN
prompt for sites that may not send one, and changing the PIN and back."""
import os

from checks_signing import signs
from support import NEW_PIN, NOPIN, STUB_PIN, WRONG_PIN, T, b64d


async def origins_and_wrong_pins(c):
    """A PIN from an origin without sendPin never reaches the card, so it costs no tries."""
    sw, np, pin = c.sw, c.np, c.pin
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


async def prompt(c):
    """No passwd (or an empty one) from an origin without sendPin: the daemon asks for the PIN
    itself. Only cards whose PIN is the one the pinentry stub answers can get through."""
    env, name, np, alg, pin, crypto, pub, cert_no = c.env, c.name, c.np, c.alg, c.pin, c.crypto, c.pub, c.cert_no
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


async def change(c):
    """Changes the PIN and back, so that the card leaves this test as it came."""
    sw, pin, si, msg = c.sw, c.pin, c.si, c.msg
    await sw.err("cus-sec_SpcChangePIN", {"oldPin": pin}, 59011, "oldPin without newPin")
    new = NEW_PIN[:len(pin)]
    d = await sw.ok("cus-sec_SpcChangePIN", {"oldPin": pin, "newPin": new}, "to a new PIN")
    T.check(d == [], "SpcChangePIN: Data %r, not []" % (d,))
    await sw.ok("cus-sec_SpcVerifyPIN", {"passwd": new}, "the new PIN")
    await signs(c, "cus-sec_SpcSignDataAsPEM", {"inData": si, "passwd": new}, msg, "signed with the new PIN")
    d = await sw.ok("security_SpcChangePIN", {"oldPin": new, "newPin": pin}, "back to the old PIN")
    await sw.ok("cus-sec_SpcVerifyPIN", {"passwd": pin}, "the original PIN again")
