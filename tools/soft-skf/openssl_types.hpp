#pragma once
// The OpenSSL owners are protocol/crypto.hpp's, used header-only: the shared library cannot link
// cardbridge_protocol (not position-independent), and needs none of its code for these.

#include "cardbridge/protocol/crypto.hpp"

namespace cardbridge::softskf {

using crypto::BignumPtr;
using crypto::BioPtr;
using crypto::Bytes;
using crypto::EcdsaSigPtr;
using crypto::PkeyCtxPtr;
using crypto::PkeyPtr;
using crypto::X509Ptr;

}  // namespace cardbridge::softskf
