#include <doctest/doctest.h>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/tlv.hpp"

using cardbridge::Error;
using cardbridge::Reason;
using cardbridge::protocol::Bytes;
using cardbridge::protocol::ByteView;
using cardbridge::protocol::expect_tlv;
using cardbridge::protocol::find_tlv;
using cardbridge::protocol::parse_tag;
using cardbridge::protocol::Tag;
using cardbridge::protocol::Tlv;
using cardbridge::protocol::TlvReader;
using cardbridge::protocol::TlvWriter;

namespace {

Bytes bytes_of(ByteView v) {
    return Bytes(v.begin(), v.end());
}

void check_malformed(const Bytes& bytes) {
    CAPTURE(bytes);
    TlvReader reader(bytes);
    try {
        reader.next();
        FAIL("read a malformed TLV");
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::CARD_ERROR);
    }
}

}  // namespace

TEST_CASE("tags of one to three bytes are read as the card sent them") {
    // Discovery object, then a CHUID tag with an empty value, then a 5F2F PIN policy.
    const Bytes data{0x7E, 0x01, 0xAA, 0x5F, 0xC1, 0x02, 0x00, 0x5F, 0x2F, 0x02, 0x40, 0x00};
    TlvReader reader(data);
    Tlv t = reader.next();
    CHECK(t.tag == Tag(0x7E));
    CHECK(bytes_of(t.value) == Bytes{0xAA});
    t = reader.next();
    CHECK(t.tag == Tag(0x5FC102));
    CHECK(t.value.empty());
    t = reader.next();
    CHECK(t.tag == Tag(0x5F2F));
    CHECK(bytes_of(t.value) == Bytes{0x40, 0x00});
    CHECK(reader.at_end());
    CHECK_THROWS_AS(reader.next(), Error);
}

TEST_CASE("long-form lengths of one to three bytes are read") {
    for (const std::size_t n : {std::size_t{0x7F}, std::size_t{0x80}, std::size_t{0xFF},
                                std::size_t{0x100}, std::size_t{0xFFFF}, std::size_t{0x10000}}) {
        CAPTURE(n);
        const Bytes value(n, 0x5A);
        const Bytes encoded = std::move(TlvWriter().add(Tag(0x53), value)).bytes();
        const std::size_t length_bytes = n < 0x80 ? 1 : n <= 0xFF ? 2 : n <= 0xFFFF ? 3 : 4;
        CHECK(encoded.size() == 1 + length_bytes + n);
        CHECK(bytes_of(expect_tlv(encoded, Tag(0x53))) == value);
    }
    const Bytes two_byte{0x70, 0x82, 0x01, 0x00};
    CHECK(two_byte.size() == 4);
    Bytes cert = two_byte;
    cert.resize(4 + 256, 0x30);
    CHECK(expect_tlv(cert, Tag(0x70)).size() == 256);
}

TEST_CASE("every length is checked against the buffer and every encoding must be shortest") {
    check_malformed({});
    check_malformed({0x53});              // no length
    check_malformed({0x53, 0x02, 0x01});  // value cut short
    check_malformed([] {  // indefinite, with enough bytes that a length of 0x80 would fit
        Bytes indefinite{0x53, 0x80};
        indefinite.resize(2 + 0x80 + 2, 0x00);
        return indefinite;
    }());
    check_malformed({0x53, 0x84, 0, 0, 0, 1, 0});        // four length bytes
    check_malformed({0x53, 0x82, 0x01});                 // length bytes cut short
    check_malformed({0x53, 0x81, 0x05, 1, 2, 3, 4, 5});  // 81 for under 128
    check_malformed({0x53, 0x82, 0x00, 0x90});           // 82 for under 256
    check_malformed({0x53, 0x83, 0x00, 0xFF, 0xFF});     // 83 for under 65536
    check_malformed({0x53, 0x83, 0xFF, 0xFF, 0xFF});     // 16 MiB claimed, none there
    check_malformed({0x5F});                             // tag cut short
    check_malformed({0x5F, 0xC1});                       // three-byte tag cut short
    check_malformed({0x5F, 0xC1, 0x82, 0x01, 0x00});     // four-byte tag
    check_malformed({0x5F, 0x80, 0x02, 0x00});           // leading zero group
    check_malformed({0x00, 0x00});                       // padding
    check_malformed({0xFF, 0x00});
}

TEST_CASE("expect_tlv and find_tlv refuse what is not there") {
    const Bytes container{0x53, 0x06, 0x70, 0x01, 0xAA, 0x71, 0x01, 0x00};
    const ByteView content = expect_tlv(container, Tag(0x53));
    CHECK(bytes_of(*find_tlv(content, Tag(0x70))) == Bytes{0xAA});
    CHECK(bytes_of(*find_tlv(content, Tag(0x71))) == Bytes{0x00});
    CHECK_FALSE(find_tlv(content, Tag(0xFE)).has_value());
    CHECK_THROWS_AS(expect_tlv(container, Tag(0x7E)), Error);
    Bytes trailing = container;
    trailing.push_back(0x90);
    CHECK_THROWS_AS(expect_tlv(trailing, Tag(0x53)), Error);
    // A malformed sibling after the match still counts: the whole level must parse.
    CHECK_THROWS_AS(find_tlv(Bytes{0x70, 0x00, 0x71, 0x05}, Tag(0x70)), Error);
}

TEST_CASE("bare tags in a tag list are parsed whole") {
    CHECK(parse_tag(Bytes{0x7E}) == Tag(0x7E));
    CHECK(parse_tag(Bytes{0x5F, 0xC1, 0x05}) == Tag(0x5FC105));
    CHECK_THROWS_AS(parse_tag(Bytes{}), Error);
    CHECK_THROWS_AS(parse_tag(Bytes{0x5F, 0xC1}), Error);
    CHECK_THROWS_AS(parse_tag(Bytes{0x7E, 0x00}), Error);
}

TEST_CASE("the writer nests and encodes tags and shortest lengths") {
    TlvWriter inner;
    inner.add(Tag(0x70), Bytes{0x01, 0x02}).add_byte(Tag(0x71), 0x00).add_empty(Tag(0xFE));
    TlvWriter outer;
    outer.add(Tag(0x53), inner);
    CHECK(outer.bytes() == Bytes{0x53, 0x09, 0x70, 0x02, 0x01, 0x02, 0x71, 0x01, 0x00, 0xFE, 0x00});
    CHECK(Tag(0x5FC102).encode() == Bytes{0x5F, 0xC1, 0x02});
    CHECK(Tag(0x7F61).encode() == Bytes{0x7F, 0x61});
    CHECK(Tag(0x7F61).constructed());
    CHECK(Tag(0x53).constructed() == false);
    CHECK(Tag(0x7C).constructed());
    // Tags that the reader would refuse are refused on writing too.
    for (const std::uint32_t bad : {0x00u, 0x1Fu, 0x5F80u, 0x5FC1u, 0x7E01u, 0x5FC1C2C3u})
        CHECK_THROWS_AS(Tag(bad).encode(), Error);
}
