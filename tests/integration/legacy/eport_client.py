"""A client of China E-Port's legacy WebSocket protocol, written from the protocol notes
(../shared/design/eport-legacy-protocol.md §3 envelope, §4 BLOCKTXT) and docs/LEGACY.md only:
it shares no code with cardbridge, so that the test it serves is an independent one.

Pieces:
  check_code(text)         the BLOCKTXT "check code" (§4.2): byte-swapped CRC-16/MODBUS over the
                           low 8 bits of every UTF-16 code unit, 4 upper-case hex digits
  split_blocks(text)       the splitting rule of the official JavaScript library (§4.3)
  block_header(...)        the 128-character frame header (§4.1)
  LegacyConnection         one WebSocket connection: the hello, calls correlated by `_id`,
                           requests sent as BLOCKTXT frames driven by `_nextBlock` (§4.4)
"""
import array
import asyncio
import json
import sys
import uuid

import websockets

# ---------------------------------------------------------------------------------------------
# §4.2 check code


def _crc16_modbus_table16():
    """Table for the reflected CRC-16/MODBUS register (poly 0xA001) advanced by 16 bits at once:
    t[v] = the register after shifting v through 16 rounds. Because the register is 16 bits
    wide, two input bytes b0, b1 are consumed as crc = t[crc ^ (b0 | b1 << 8)]."""
    t8 = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
        t8.append(c)
    t16 = array.array("H", bytes(2 * 65536))
    for v in range(65536):
        c = (v >> 8) ^ t8[v & 0xFF]  # low byte first
        c = (c >> 8) ^ t8[c & 0xFF]  # then the high byte (the register holds only it now)
        t16[v] = c
    return t8, t16


_T8, _T16 = _crc16_modbus_table16()


def low_bytes(text):
    """The bytes the JavaScript library feeds its CRC: charCodeAt(i) & 0xFF for each UTF-16
    code unit of the string."""
    return text.encode("utf-16-le", "surrogatepass")[::2]


def crc16_modbus(data):
    """Standard CRC-16/MODBUS (init 0xFFFF, reflected, xorout 0) of bytes."""
    crc = 0xFFFF
    n = len(data) & ~1
    if n:
        words = array.array("H")
        words.frombytes(data[:n])
        if sys.byteorder != "little":
            words.byteswap()
        t16 = _T16
        for w in words:
            crc = t16[crc ^ w]
    if len(data) & 1:
        crc = (crc >> 8) ^ _T8[(crc ^ data[-1]) & 0xFF]
    return crc


def check_code(text):
    """BLOCKTXT check code of a JavaScript string (§4.2): the CRC-16/MODBUS value with its two
    bytes swapped (Modbus wire order), upper-case, 4 digits."""
    v = crc16_modbus(low_bytes(text))
    return "%04X" % (((v & 0xFF) << 8) | (v >> 8))


CHECK_CODE_VECTORS = [("", "FFFF"), ("A", "7F70"), ("123456789", "374B"), ("中国", "DD61")]

# ---------------------------------------------------------------------------------------------
# §4.1 / §4.3 framing

MAX_LENGTH = 120 * 1024


def js_length(text):
    """`s.length` in JavaScript: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split_blocks(text, max_length=MAX_LENGTH):
    """The library's splitStrData: walk the code units adding 3 for one that escape() writes as
    %uXXXX (>= 0x100) and 1 otherwise; when the sum exceeds max_length - 3 the current unit is
    included and a chunk ends. One liberty: a cut between the two halves of a surrogate pair
    takes the second half along (a lone surrogate cannot travel in a WebSocket text frame; the
    browser would replace it), which changes no length a server checks."""
    enc = text.encode("utf-16-le", "surrogatepass")
    high = enc[1::2]          # a code unit's high byte: not zero for units >= 0x100
    n = len(high)
    limit = max_length - 3

    def weight(a, b):         # the library's count over units a..b-1
        return (b - a) + 2 * ((b - a) - high.count(0, a, b))

    chunks = []
    start = 0
    while start < n:
        if weight(start, n) <= limit:
            end = n
        else:
            lo, hi = start + 1, min(n, start + limit + 1)   # smallest end with weight > limit
            while lo < hi:
                mid = (lo + hi) // 2
                if weight(start, mid) > limit:
                    hi = mid
                else:
                    lo = mid + 1
            end = lo
            u = enc[2 * end - 2] | enc[2 * end - 1] << 8
            if 0xD800 <= u <= 0xDBFF and end < n:
                v = enc[2 * end] | enc[2 * end + 1] << 8
                if 0xDC00 <= v <= 0xDFFF:
                    end += 1
        chunks.append(enc[2 * start:2 * end].decode("utf-16-le", "surrogatepass"))
        start = end
    if not chunks:
        chunks.append("")
    return chunks


def block_header(total_code, block_code, total_size, block_size, block_count, guid, block_number):
    """The 128-character header (§4.1): every number decimal, zero-padded to its width."""
    fields = [
        ("magic", "BLOCKTXT", 8),
        ("total check code", total_code, 4),
        ("block check code", block_code, 4),
        ("total size", "%016d" % total_size, 16),
        ("block size", "%08d" % block_size, 8),
        ("block count", "%04d" % block_count, 4),
        ("group id", guid, 36),
        ("block number", "%04d" % block_number, 4),
    ]
    out = ""
    for name, value, width in fields:
        if len(value) != width:
            raise ValueError("BLOCKTXT header field %s %r is not %d characters" % (name, value, width))
        out += value
    out += "0" * 44
    assert len(out) == 128
    return out


class BlockRequest:
    """A request text cut into BLOCKTXT frames."""

    def __init__(self, text, guid=None, max_length=MAX_LENGTH):
        self.text = text
        self.guid = guid or str(uuid.uuid4())
        self.blocks = split_blocks(text, max_length)
        self.total_code = check_code(text)
        self.total_size = js_length(text)
        self.block_codes = [check_code(b) for b in self.blocks]

    def frame(self, n, corrupt=False, claim=None):
        claim = claim or {}
        chunk = self.blocks[n]
        header = block_header(self.total_code, self.block_codes[n], claim.get("total_size", self.total_size),
                              js_length(chunk), claim.get("block_count", len(self.blocks)), self.guid, n)
        if corrupt:
            # Same length, different content: the header's block check code no longer fits.
            i = len(chunk) // 2
            c = chunk[i]
            chunk = chunk[:i] + ("x" if c != "x" else "y") + chunk[i + 1:]
            assert check_code(chunk) != self.block_codes[n]
        return header + chunk


# ---------------------------------------------------------------------------------------------
# §3 envelope over one connection


class ProtocolError(AssertionError):
    pass


def dumps(obj):
    """JSON as JavaScript's JSON.stringify writes it: no spaces, non-ASCII as is."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class LegacyConnection:
    """One connection. Incoming messages are routed by a reader task: `_nextBlock` messages to
    the request being sent under their guid, everything else by `_id` to the call waiting for
    it. Anything that matches nothing is kept in `stray` for the test to complain about."""

    def __init__(self, ws, hello):
        self.ws = ws
        self.hello = hello
        self.waiting = {}      # str(_id) -> Future
        self.blocks = {}       # guid -> asyncio.Queue of _nextBlock messages
        self.stray = []
        self.reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def open(cls, uri, origin, timeout=5):
        ws = await websockets.connect(uri, origin=origin, max_size=4 * 1024 * 1024,
                                      ping_interval=None, open_timeout=timeout)
        try:
            raw = await asyncio.wait_for(ws.recv(), timeout)
        except asyncio.TimeoutError:
            return cls(ws, None)   # no hello: the caller's check says so
        try:
            return cls(ws, json.loads(raw))
        except ValueError:
            return cls(ws, raw)

    async def close(self):
        self.reader.cancel()
        await self.ws.close()

    async def _read(self):
        try:
            async for raw in self.ws:
                try:
                    msg = json.loads(raw)
                except ValueError:
                    self.stray.append(raw)
                    continue
                if not isinstance(msg, dict):
                    self.stray.append(msg)
                    continue
                if msg.get("_method") == "_nextBlock":
                    guid = None
                    try:
                        guid = msg["_args"]["Data"][0]["guid"]
                    except (KeyError, IndexError, TypeError):
                        pass
                    q = self.blocks.get(guid)
                    if q is not None:
                        q.put_nowait(msg)
                    else:
                        self.stray.append(msg)
                    continue
                fut = self.waiting.pop(str(msg.get("_id")), None)
                if fut is not None and not fut.done():
                    fut.set_result(msg)
                else:
                    self.stray.append(msg)
        except websockets.exceptions.ConnectionClosed as e:
            err = e
        except Exception as e:  # noqa: BLE001 - handed to every waiting call
            err = e
        else:
            err = ProtocolError("the daemon closed the connection")
        for fut in self.waiting.values():
            if not fut.done():
                fut.set_exception(ProtocolError("connection lost while waiting: %r" % (err,)))
        for q in self.blocks.values():
            q.put_nowait(err)

    def _expect(self, _id):
        key = str(_id)
        if key in self.waiting:
            raise ValueError("_id %r already in flight" % (_id,))
        fut = asyncio.get_running_loop().create_future()
        self.waiting[key] = fut
        return fut

    async def call(self, method, args=None, _id=1, timeout=10, extra=None):
        """Sends one plain request and returns the whole answer (a dict)."""
        req = {"_method": method, "_id": _id, "args": {} if args is None else args}
        if extra:
            req.update(extra)
        fut = self._expect(_id)
        await self.ws.send(dumps(req))
        try:
            return await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            self.waiting.pop(str(_id), None)
            raise ProtocolError("%s (_id %r): no answer within %ss (unmatched messages: %s)"
                                % (method, _id, timeout, self.stray[-3:]))

    async def call_blocks(self, method, args, _id=1, timeout=60, corrupt=(), corrupt_always=False,
                          claim=None, max_length=MAX_LENGTH):
        """Sends the request as BLOCKTXT frames, following `_nextBlock` (§4.4), until the call's
        answer arrives. `corrupt`: block numbers whose first sending carries a damaged chunk;
        `corrupt_always`: every frame does; `claim`: header fields to lie about (total_size,
        block_count). Returns (answer, [{sent, corrupt, answer: _nextBlock}], BlockRequest)."""
        req = dumps({"_method": method, "_id": _id, "args": args})
        br = BlockRequest(req, max_length=max_length)
        q = asyncio.Queue()
        self.blocks[br.guid] = q
        fut = self._expect(_id)
        seen = []
        pending_corrupt = set(corrupt)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        get = None
        try:
            n = 0
            while not fut.done():
                bad = corrupt_always or n in pending_corrupt
                pending_corrupt.discard(n)
                await self.ws.send(br.frame(n, corrupt=bad, claim=claim))
                get = asyncio.ensure_future(q.get())
                done, _ = await asyncio.wait({get, fut}, timeout=max(0.1, deadline - loop.time()),
                                             return_when=asyncio.FIRST_COMPLETED)
                if get not in done:
                    get.cancel()
                    if fut.done():
                        break   # answered without a _nextBlock
                    raise ProtocolError("%s in %d BLOCKTXT blocks: no _nextBlock after block %d "
                                        "(answers so far: %s; unmatched: %s)"
                                        % (method, len(br.blocks), n, seen[-2:], self.stray[-3:]))
                msg = get.result()
                if isinstance(msg, Exception):
                    raise ProtocolError("connection lost during BLOCKTXT upload after block %d: %r"
                                        % (n, msg))
                seen.append({"sent": n, "corrupt": bad, "answer": msg})
                if fut.done():
                    break
                try:
                    d = msg["_args"]["Data"][0]
                    finish, nxt = d["finish"], d["next"]
                except (KeyError, IndexError, TypeError):
                    raise ProtocolError("malformed _nextBlock answer to block %d: %s" % (n, msg))
                if finish is True:
                    break
                if not isinstance(nxt, int) or not 0 <= nxt < len(br.blocks):
                    raise ProtocolError("_nextBlock asks for block %r of %d: %s"
                                        % (nxt, len(br.blocks), msg))
                if len(seen) > 3 * len(br.blocks) + 5:
                    raise ProtocolError("BLOCKTXT upload does not end: %d frames sent for %d blocks"
                                        % (len(seen), len(br.blocks)))
                n = nxt
            answer = await asyncio.wait_for(fut, max(0.1, deadline - loop.time()))
        except asyncio.TimeoutError:
            raise ProtocolError("%s (_id %r) sent in %d BLOCKTXT blocks: no answer after the last "
                                "block within %ss (unmatched: %s)"
                                % (method, _id, len(br.blocks), timeout, self.stray[-3:]))
        finally:
            self.blocks.pop(br.guid, None)
            self.waiting.pop(str(_id), None)
        return answer, seen, br
