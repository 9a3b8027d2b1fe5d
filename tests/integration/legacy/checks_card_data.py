"""One card, no PIN: the environment calls, the holder and enterprise data read off the card,
its certificates, and their validity periods as the daemon reports them."""
import os

from support import Session, T, b64, b64d, short


async def environment(c):
    """Pages call these first; all they may do is succeed with an empty Data."""
    sw = c.sw
    for m, a in (("cus-sec_SpcInitEnvEx", {}), ("cus-sec_SpcClearEnv", {}),
                 ("cus-sec_SpcSetInitEnvPriority", {"szInitEnvPriority": "2,1"}),
                 ("security_SpcInitEnvEx", {})):
        d = await sw.ok(m, a)
        T.check(d == [], "%s: Data %r, not []" % (m, d))


async def card_data(c):
    env, name, card, alg, pin, sw, crypto = c.env, c.name, c.card, c.alg, c.pin, c.sw, c.crypto
    sign_b64, start, end = c.sign_b64, c.start, c.end
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
    # the certificate the daemon returned is what every later signature is checked against
    d = await sw.ok("cus-sec_SpcGetSignCertAsPEM", {})
    if d and b64d(d[0]):
        c.pub = crypto.pubkey(b64d(d[0]))

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
