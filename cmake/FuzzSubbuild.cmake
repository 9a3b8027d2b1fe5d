# libFuzzer needs clang, while the product builds with the distribution's g++. The fuzzers
# therefore live in a clang-14 sub-build of this same tree (protocol/ + tests/fuzz only, always
# with ASan + UBSan), and each target becomes a ctest test here so one ctest run covers all.
include(ExternalProject)
find_program(CLANGXX clang++-14 REQUIRED)

ExternalProject_Add(fuzzers
  SOURCE_DIR ${PROJECT_SOURCE_DIR}
  BINARY_DIR ${CMAKE_BINARY_DIR}/fuzz
  CMAKE_ARGS -G Ninja -DCMAKE_CXX_COMPILER=${CLANGXX} -DCMAKE_BUILD_TYPE=RelWithDebInfo
             -DCARDBRIDGE_FUZZ_ONLY=ON
  INSTALL_COMMAND ""
  BUILD_ALWAYS ON
  USES_TERMINAL_BUILD ON)

set(CARDBRIDGE_FUZZ_TARGETS "" CACHE INTERNAL "")
include(${PROJECT_SOURCE_DIR}/tests/fuzz/targets.cmake)
foreach(name IN LISTS CARDBRIDGE_FUZZ_TARGETS)
  set(corpus ${CMAKE_BINARY_DIR}/fuzz-corpus/${name})
  file(MAKE_DIRECTORY ${corpus})
  # The committed seeds are read-only input; new inputs go to the build tree's corpus.
  add_test(NAME fuzz.${name}
    COMMAND ${CMAKE_BINARY_DIR}/fuzz/tests/fuzz/fuzz_${name}
            -max_total_time=${CARDBRIDGE_FUZZ_SECONDS} -timeout=10 -rss_limit_mb=2048
            -print_final_stats=1 ${corpus} ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1;UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endforeach()
