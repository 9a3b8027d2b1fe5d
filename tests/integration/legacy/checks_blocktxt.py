"""Run on the SM2 card only: requests sent as BLOCKTXT frames (sizes up to 10 MiB, damaged and
resent blocks, characters outside the BMP, the size and concurrency limits), refused methods
sent that way, and two signatures in flight on one connection."""
import asyncio
import time

import eport_client as ec
from eport_client import ProtocolError
from signatures import CEB_BODY, signed_info
from support import SIGNED, SW, Session, T, b64d, check_error, short


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
