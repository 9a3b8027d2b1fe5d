# Our own targets build with every warning as an error; third-party headers come in as
# SYSTEM includes (imported targets), so their warnings never break our build.
function(cardbridge_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endfunction()
