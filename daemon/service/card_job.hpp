#pragma once
// A request's work on a token: queued on its place's worker, answered on the io thread, and
// bounded in time. A card that stops answering holds up its own reader's queue, never the
// caller, who gets TIMEOUT at the deadline (a late result is dropped).

#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>

#include "service/api.hpp"
#include "service/reader_registry.hpp"

namespace cardbridge::daemon {

using CardWork = std::function<Json(tokens::Token&)>;

/// `done` is called exactly once, on the io thread.
void run_on_card(boost::asio::io_context& io, const ReaderEntry& reader,
                 std::chrono::milliseconds deadline, CardWork work, Complete done);

}  // namespace cardbridge::daemon
