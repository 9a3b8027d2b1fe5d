# cmake -DHELP2MAN=… -DPROGRAM=… -DSUMMARY=… -DOUT=NAME.1.gz -P manpage.cmake
# The manual page of one program, from its --help and --version, gzipped as Debian wants.
set(page ${OUT})
string(REGEX REPLACE "\\.gz$" "" page "${OUT}")
execute_process(
  COMMAND ${HELP2MAN} --no-info --no-discard-stderr --name=${SUMMARY} --output=${page} ${PROGRAM}
  COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND gzip -9nf ${page} COMMAND_ERROR_IS_FATAL ANY)
