"""What the test signs and how it checks what comes back: the openssl command line is the
judge of every signature, so that no code shared with cardbridge vouches for it."""
import base64
import datetime
import hashlib
import os
import subprocess

from support import SM2_ID, Fatal, b64

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
