#include "module.hpp"

namespace cardbridge::softskf {

Module& module() {
    static Module state;
    return state;
}

}  // namespace cardbridge::softskf
