# One libFuzzer target per parser: tests/fuzz/fuzz_<name>.cpp, seeds in tests/fuzz/corpus/<name>/.
set(CARDBRIDGE_FUZZ_TARGETS
  jsonrpc
  legacy_envelope
  blocktxt
  native_messaging
  login_token
  apdu_tlv
  local_hello
  CACHE INTERNAL "")
