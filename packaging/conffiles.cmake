# cmake -DROOT=browser-dist/root -DOUT=conffiles -P conffiles.cmake
# dpkg's conffiles list: the config the package installs and every browser file under /etc.
file(GLOB_RECURSE browser_files LIST_DIRECTORIES false RELATIVE ${ROOT} ${ROOT}/etc/*)
list(SORT browser_files)
set(text "/etc/cardbridge/config.json\n")
foreach(file IN LISTS browser_files)
  string(APPEND text "/${file}\n")
endforeach()
file(WRITE ${OUT} "${text}")
