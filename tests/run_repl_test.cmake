# Runs one REPL session test: `csp repl` reading <case>.in through a pipe, its stdout and
# stderr merged in the order written, compared with <case>.out; the exit status with
# <case>.status (0 when absent). A fixed seed makes runs repeat; the session runs in the
# case's directory (for :load).
string(REGEX REPLACE "\\.in$" "" base ${CASE})
get_filename_component(dir ${CASE} DIRECTORY)
execute_process(COMMAND ${CMAKE_COMMAND} -E env CSP_SEED=1 ${CSP} repl
                INPUT_FILE ${CASE} OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE status
                WORKING_DIRECTORY ${dir} TIMEOUT 50)
file(READ ${base}.out want)
set(want_status 0)
if(EXISTS ${base}.status)
  file(STRINGS ${base}.status want_status LIMIT_COUNT 1)
endif()
if(NOT "${out}" STREQUAL "${want}")
  message(FATAL_ERROR "--- output differs\n--- want:\n${want}\n--- got:\n${out}")
endif()
if(NOT "${status}" STREQUAL "${want_status}")
  message(FATAL_ERROR "exit status ${status}, want ${want_status}")
endif()
