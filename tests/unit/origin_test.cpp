#include <doctest/doctest.h>

#include <string>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/origin.hpp"

using cardbridge::Error;
using cardbridge::Reason;
using namespace cardbridge::protocol;

namespace {

// The message of the ORIGIN_INVALID error parse() throws for `text`.
std::string why_not(std::string_view text) {
    try {
        Origin::parse(text);
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::ORIGIN_INVALID);
        return e.what();
    }
    FAIL("accepted " << text);
    return {};
}

std::string why_not_pattern(std::string_view text) {
    try {
        OriginPattern::parse(text);
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::ORIGIN_INVALID);
        return e.what();
    }
    FAIL("accepted pattern " << text);
    return {};
}

bool matches(std::string_view pattern, std::string_view origin) {
    return OriginPattern::parse(pattern).matches(Origin::parse(origin));
}

}  // namespace

TEST_CASE("origin: canonical origins are accepted and taken apart") {
    const Origin https = Origin::parse("https://www.singlewindow.cn");
    CHECK(https.str() == "https://www.singlewindow.cn");
    CHECK(https.scheme() == "https");
    CHECK(https.host() == "www.singlewindow.cn");
    CHECK(https.host_kind() == HostKind::DNS_NAME);
    CHECK(https.port() == 443);
    CHECK(Origin::parse("http://localhost").port() == 80);
    CHECK(Origin::parse("http://127.0.0.1:61232").port() == 61232);
    CHECK(Origin::parse("http://127.0.0.1:61232").host_kind() == HostKind::IPV4);
    CHECK(Origin::parse("https://xn--fiqs8s.cn:8443").host() == "xn--fiqs8s.cn");
    CHECK(Origin::parse("http://[::1]:8080").host() == "[::1]");
    CHECK(Origin::parse("http://[::1]").host_kind() == HostKind::IPV6);
    CHECK(Origin::parse("https://443.example.cn:80").port() == 80);
    CHECK(Origin::parse("http://a-b.c1:443").str() == "http://a-b.c1:443");
    CHECK(Origin::parse("http://" + std::string(63, 'a') + ".cn").host().size() == 66);
    CHECK(Origin::parse("https://a.b:65535").port() == 65535);
    CHECK(Origin::parse("https://a.b:1").port() == 1);
    CHECK(Origin::parse("http://0.0.0.0").host() == "0.0.0.0");
    CHECK(Origin::parse("http://255.255.255.255").host_kind() == HostKind::IPV4);
    CHECK(Origin::parse("https://a.cn") == Origin::parse("https://a.cn"));
    CHECK_FALSE(Origin::parse("https://a.cn") == Origin::parse("http://a.cn"));
}

TEST_CASE("origin: scheme rules") {
    CHECK(why_not("HTTPS://a.cn").find("lower-case") != std::string::npos);
    CHECK(why_not("Http://a.cn").find("lower-case") != std::string::npos);
    CHECK(why_not("ftp://a.cn").find("http or https") != std::string::npos);
    CHECK(why_not("wss://a.cn").find("http or https") != std::string::npos);
    CHECK(why_not("chrome-extension://abc").find("http or https") != std::string::npos);
    CHECK(why_not("a.cn").find("http:// or https://") != std::string::npos);
    CHECK(why_not("https:/a.cn").find("http:// or https://") != std::string::npos);
    CHECK(why_not("").find("http:// or https://") != std::string::npos);
    CHECK(why_not("null").find("http:// or https://") != std::string::npos);
}

TEST_CASE("origin: nothing may follow the host and port") {
    CHECK(why_not("https://a.cn/").find("trailing '/'") != std::string::npos);
    CHECK(why_not("https://a.cn/login").find("no path") != std::string::npos);
    CHECK(why_not("https://a.cn:8443/").find("trailing '/'") != std::string::npos);
    CHECK(why_not("https://a.cn\\x").find("path") != std::string::npos);
    CHECK(why_not("https://a.cn?x=1").find("query") != std::string::npos);
    CHECK(why_not("https://a.cn#top").find("fragment") != std::string::npos);
    CHECK(why_not("https://user@a.cn").find("user name") != std::string::npos);
    CHECK(why_not("https://user:pw@a.cn").find("user name") != std::string::npos);
}

TEST_CASE("origin: port rules") {
    CHECK(why_not("https://a.cn:443").find("default port 443") != std::string::npos);
    CHECK(why_not("http://a.cn:80").find("default port 80") != std::string::npos);
    CHECK(why_not("https://a.cn:0").find("1-65535") != std::string::npos);
    CHECK(why_not("https://a.cn:65536").find("1-65535") != std::string::npos);
    CHECK(why_not("https://a.cn:123456").find("1-65535") != std::string::npos);
    CHECK(why_not("https://a.cn:99999999999999999999").find("1-65535") != std::string::npos);
    CHECK(why_not("https://a.cn:08443").find("leading zeros") != std::string::npos);
    CHECK(why_not("https://a.cn:00").find("1-65535") != std::string::npos);
    CHECK(why_not("https://a.cn:").find("port number") != std::string::npos);
    CHECK(why_not("https://a.cn:+443").find("decimal") != std::string::npos);
    CHECK(why_not("https://a.cn:4 3").find("decimal") != std::string::npos);
    CHECK(why_not("https://a.cn:1:2").find("decimal") != std::string::npos);
}

TEST_CASE("origin: DNS host rules") {
    CHECK(why_not("https://").find("empty host") != std::string::npos);
    CHECK(why_not("https://:8443").find("empty host") != std::string::npos);
    CHECK(why_not("https://WWW.singlewindow.cn").find("lower-case") != std::string::npos);
    CHECK(why_not("https://www.singlewindow.cn.").find("dot") != std::string::npos);
    CHECK(why_not("https://a..cn").find("empty label") != std::string::npos);
    CHECK(why_not("https://.a.cn").find("empty label") != std::string::npos);
    CHECK(why_not("https://-a.cn").find("'-'") != std::string::npos);
    CHECK(why_not("https://a-.cn").find("'-'") != std::string::npos);
    CHECK(why_not("https://" + std::string(64, 'a') + ".cn").find("label longer") !=
          std::string::npos);
    std::string long_name;
    for (int i = 0; i < 5; ++i) long_name += std::string(50, 'a') + ".";
    long_name += "cn";  // 257 characters
    CHECK(why_not("https://" + long_name).find("longer than 253") != std::string::npos);
    CHECK(why_not("https://" + std::string(300, 'a')).find("origin longer") != std::string::npos);
    CHECK(why_not("https://中国.cn").find("punycode") != std::string::npos);
    CHECK(why_not("https://a_b.cn").find("'_'") != std::string::npos);
    CHECK(why_not("https://a b.cn").find("0x20") != std::string::npos);
    CHECK(why_not(std::string("https://a\0.cn", 13)).find("0x00") != std::string::npos);
    CHECK(why_not("https://a.cn\n").find("0x0a") != std::string::npos);
    CHECK(why_not("https://*.a.cn").find("'*'") != std::string::npos);
    CHECK(why_not("https://%61.cn").find("'%'") != std::string::npos);
}

TEST_CASE("origin: IPv4 hosts only in dotted-quad form") {
    for (std::string_view text : {"http://127.1", "http://0x7f.0.0.1", "http://2130706433",
                                  "http://127.0.0.01", "http://256.0.0.1", "http://1.2.3.4.5",
                                  "http://example.123", "http://example.1a", "http://1.2.3.1000"})
        CHECK_MESSAGE(why_not(text).find("IPv4") != std::string::npos, text);
}

TEST_CASE("origin: IPv6 hosts only in brackets and in canonical form") {
    CHECK(Origin::parse("http://[2001:db8::1]").host() == "[2001:db8::1]");
    CHECK(Origin::parse("http://[::]").host() == "[::]");
    CHECK(Origin::parse("http://[1::]").host() == "[1::]");
    CHECK(Origin::parse("http://[1:0:1:0:1:0:1:0]").host_kind() == HostKind::IPV6);
    CHECK(Origin::parse("http://[1:0:0:1::1]").host() == "[1:0:0:1::1]");
    CHECK(Origin::parse("http://[1:0:1:1:1:1:1:1]").host() == "[1:0:1:1:1:1:1:1]");
    CHECK(Origin::parse("http://[1::1:0:0:1]").host() == "[1::1:0:0:1]");
    CHECK(Origin::parse("http://[1:2:3:4:5:6:7:8]").host() == "[1:2:3:4:5:6:7:8]");

    CHECK(why_not("http://[2001:DB8::1]").find("expected [2001:db8::1]") != std::string::npos);
    CHECK(why_not("http://[2001:0db8::1]").find("expected [2001:db8::1]") != std::string::npos);
    CHECK(why_not("http://[0:0:0:0:0:0:0:1]").find("expected [::1]") != std::string::npos);
    CHECK(why_not("http://[1:0::1]").find("expected [1::1]") != std::string::npos);
    CHECK(why_not("http://[1::0:1]").find("expected [1::1]") != std::string::npos);
    CHECK(why_not("http://[1::1:1:1:1:1:1]").find("expected [1:0:1:1:1:1:1:1]") !=
          std::string::npos);
    CHECK(why_not("http://[1:0:0:1:0:0:0:1]").find("expected [1:0:0:1::1]") != std::string::npos);
    CHECK(why_not("http://[1:0:0:1:0:0:1:1]").find("expected [1::1:0:0:1:1]") != std::string::npos);
    for (std::string_view text :
         {"http://[]", "http://[1:2:3:4:5:6:7]", "http://[1:2:3:4:5:6:7:8:9]", "http://[1::2::3]",
          "http://[::ffff:127.0.0.1]", "http://[fe80::1%25eth0]", "http://[12345::]",
          "http://[:1::]", "http://[1:::2]", "http://[g::]", "http://[1:2:3:4::5:6:7:8]",
          "http://[1::1:1:1:1:1:1:1]"})
        CHECK_MESSAGE(why_not(text).find("not a valid IPv6") != std::string::npos, text);
    CHECK(why_not("http://::1").find("empty host") != std::string::npos);
    CHECK(why_not("http://[::1").find("'['") != std::string::npos);
    CHECK(why_not("http://[::1]x").find("'['") != std::string::npos);
    CHECK(why_not("http://[::1]:443x").find("decimal") != std::string::npos);
    CHECK(why_not("http://[::1]:80").find("default port") != std::string::npos);
    CHECK(why_not("http://x[::1]").find("'['") != std::string::npos);
}

TEST_CASE("origin: the canonical host check stands on its own for Host headers") {
    CHECK(parse_canonical_host("127.0.0.1") == HostKind::IPV4);
    CHECK(parse_canonical_host("wss.singlewindow.cn") == HostKind::DNS_NAME);
    CHECK(parse_canonical_host("[::1]") == HostKind::IPV6);
    CHECK_THROWS_AS(parse_canonical_host("127.0.0.1:61232"), Error);
    CHECK_THROWS_AS(parse_canonical_host(""), Error);
}

TEST_CASE("origin: an exact pattern matches only its own origin") {
    CHECK(matches("https://www.singlewindow.cn", "https://www.singlewindow.cn"));
    CHECK_FALSE(matches("https://www.singlewindow.cn", "http://www.singlewindow.cn"));
    CHECK_FALSE(matches("https://www.singlewindow.cn", "https://www.singlewindow.cn:8443"));
    CHECK_FALSE(matches("https://www.singlewindow.cn", "https://a.www.singlewindow.cn"));
    CHECK_FALSE(matches("https://www.singlewindow.cn", "https://www.singlewindow.cn.evil.com"));
    CHECK(OriginPattern::parse("http://127.0.0.1:61232").str() == "http://127.0.0.1:61232");
    CHECK(why_not_pattern("https://www.singlewindow.cn/").find("trailing") != std::string::npos);
}

TEST_CASE("origin: a wildcard pattern matches strict subdomains with its scheme and port only") {
    CHECK(matches("https://*.singlewindow.cn", "https://www.singlewindow.cn"));
    CHECK(matches("https://*.singlewindow.cn", "https://a.b.singlewindow.cn"));
    CHECK_FALSE(matches("https://*.singlewindow.cn", "https://singlewindow.cn"));
    CHECK_FALSE(matches("https://*.singlewindow.cn", "https://evilsinglewindow.cn"));
    CHECK_FALSE(matches("https://*.singlewindow.cn", "https://singlewindow.cn.evil.com"));
    CHECK_FALSE(matches("https://*.singlewindow.cn", "https://www.singlewindow.cn.evil.com"));
    CHECK_FALSE(matches("https://*.singlewindow.cn", "http://www.singlewindow.cn"));
    CHECK_FALSE(matches("https://*.singlewindow.cn", "https://www.singlewindow.cn:8443"));
    CHECK_FALSE(matches("https://*.singlewindow.cn", "https://www.singlewindow.com"));
    CHECK(matches("https://*.singlewindow.cn:8443", "https://www.singlewindow.cn:8443"));
    CHECK_FALSE(matches("https://*.singlewindow.cn:8443", "https://www.singlewindow.cn"));
    CHECK(matches("http://*.chinaport.gov.cn", "http://app.chinaport.gov.cn"));
    CHECK(OriginPattern::parse("https://*.example.cn:8443").str() == "https://*.example.cn:8443");
}

TEST_CASE("origin: malformed patterns are refused") {
    CHECK(why_not_pattern("https://*.cn").find("two labels") != std::string::npos);
    CHECK(why_not_pattern("https://*.1.2.3.4").find("IP address") != std::string::npos);
    CHECK(why_not_pattern("https://*.[::1]").find("IP address") != std::string::npos);
    for (std::string_view text : {"https://*", "https://*example.cn", "https://a.*.example.cn",
                                  "https://www.*", "*://a.cn", "https://*.*.example.cn", "*"})
        CHECK_MESSAGE(why_not_pattern(text).find("'*'") != std::string::npos, text);
    CHECK(why_not_pattern("https://*.").find("empty host") != std::string::npos);
    CHECK(why_not_pattern("https://*.Example.cn").find("lower-case") != std::string::npos);
    CHECK(why_not_pattern("https://*.example.cn:443").find("default port") != std::string::npos);
    CHECK(why_not_pattern("https://*.example.cn/").find("trailing") != std::string::npos);
    CHECK(why_not_pattern("ftp://*.example.cn").find("http or https") != std::string::npos);
}
