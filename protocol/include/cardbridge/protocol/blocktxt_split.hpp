#pragma once
// Where the legacy JavaScript library cuts a message into BLOCKTXT chunks (legacy E-Port
// protocol §4.3), and the frames it then sends. We play the client with this in tests, the CLI
// and benchmarks; the daemon only reassembles.
//
// The library walks the UTF-16 string adding 3 per code unit >= 0x100 (what escape() renders
// as %uXXXX) and 1 otherwise; once the sum exceeds max_length - 3 it cuts after the current
// unit and starts again from 0.
//
// One deliberate difference: when that cut would fall between the two halves of a surrogate
// pair, we cut after the whole pair instead. The library would send a chunk ending in a lone
// high surrogate, which a browser's WebSocket replaces by U+FFFD, so the block check code can
// never match and the message is never delivered. UTF-8 cannot carry a lone surrogate, so a
// whole pair is the only faithful choice; the reassembler accepts chunks cut anywhere between
// code points, so it takes these frames as well as the library's.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cardbridge::protocol::blocktxt {

/// The library's MaxLength.
inline constexpr std::size_t kMaxLength = 120 * 1024;
/// The block count field has 4 digits.
inline constexpr std::size_t kMaxBlockCount = 9999;

/// The chunks of `utf8`, as views into it, in order; none when it is empty. `max_length`
/// other than kMaxLength only serves to exercise multi-block paths with small inputs. Throws
/// Error(PARSE_ERROR) for invalid UTF-8, Error(INVALID_PARAMS) for a max_length below 4.
std::vector<std::string_view> split(std::string_view utf8, std::size_t max_length = kMaxLength);

/// Every frame (header + chunk) the library sends for `request`, indexed by block number, so
/// a client answers `_nextBlock` by sending frames[next]. The GUID is the caller's (this
/// library does no randomness). Throws Error(INVALID_PARAMS) for an empty request or a
/// malformed GUID, Error(FRAME_TOO_LARGE) when the request needs more than kMaxBlockCount
/// blocks, Error(PARSE_ERROR) for invalid UTF-8.
std::vector<std::string> encode(std::string_view request, std::string_view guid,
                                std::size_t max_length = kMaxLength);

}  // namespace cardbridge::protocol::blocktxt
