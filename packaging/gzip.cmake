# cmake -DIN=FILE -DOUT=FILE.gz -P gzip.cmake: gzip -9 without a name or time stamp, so that the
# same input gives the same bytes (Debian policy for documentation and manual pages).
execute_process(COMMAND gzip -9nc INPUT_FILE ${IN} OUTPUT_FILE ${OUT} COMMAND_ERROR_IS_FATAL ANY)
