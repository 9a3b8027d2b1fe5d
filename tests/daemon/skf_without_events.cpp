// A vendor module without device events, as some ship: SKF_WaitForDevEvent answers "not
// supported", and every other function is the software module's, which this library depends on
// (dlsym on this library's handle finds them there).
#include "tokens/skf/skf_abi.hpp"

using namespace cardbridge::skf;

extern "C" __attribute__((visibility("default"))) ULONG SKF_WaitForDevEvent(LPSTR, ULONG*, ULONG*) {
    return SAR_NOTSUPPORTYETERR;
}
