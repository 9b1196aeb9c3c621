# Runs one script test: `csp run <case>.csp` from the case's directory, then compares
# stdout, stderr and exit status with <case>.stdout, <case>.stderr (empty when absent) and
# <case>.status (0 when absent). The case's absolute directory is removed from stderr and
# stdout, so traces and listings read `case.csp:12` whatever the checkout. Optional
# <case>.args holds extra arguments (one per line) for the script; <case>.stdin is fed to
# it; <case>.command names the csp subcommand (default `run`).
get_filename_component(dir ${CASE} DIRECTORY)
get_filename_component(file ${CASE} NAME)
string(REGEX REPLACE "\\.csp$" "" base ${CASE})

set(args "")
if(EXISTS ${base}.args)
  file(STRINGS ${base}.args args)
endif()
set(input_option "")
if(EXISTS ${base}.stdin)
  set(input_option INPUT_FILE ${base}.stdin)
endif()
set(command run)
if(EXISTS ${base}.command)
  file(STRINGS ${base}.command command)
endif()

# A fixed seed, so that runs repeat and no replay hint follows a panic (as in Go's output).
execute_process(COMMAND ${CMAKE_COMMAND} -E env CSP_SEED=1 ${CSP} ${command} ${file} ${args}
                WORKING_DIRECTORY ${dir}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status
                ${input_option} TIMEOUT 50)
string(REPLACE "${dir}/" "" err "${err}")
string(REPLACE "${dir}/" "" out "${out}")

set(want_out "")
set(want_err "")
set(want_status 0)
if(EXISTS ${base}.stdout)
  file(READ ${base}.stdout want_out)
endif()
if(EXISTS ${base}.stderr)
  file(READ ${base}.stderr want_err)
endif()
if(EXISTS ${base}.status)
  file(STRINGS ${base}.status want_status LIMIT_COUNT 1)
endif()

set(failed FALSE)
if(NOT "${out}" STREQUAL "${want_out}")
  message("--- stdout differs\n--- want:\n${want_out}\n--- got:\n${out}")
  set(failed TRUE)
endif()
if(NOT "${err}" STREQUAL "${want_err}")
  message("--- stderr differs\n--- want:\n${want_err}\n--- got:\n${err}")
  set(failed TRUE)
endif()
if(NOT "${status}" STREQUAL "${want_status}")
  message("--- exit status: want ${want_status}, got ${status}")
  set(failed TRUE)
endif()
if(failed)
  message(FATAL_ERROR "script test failed: ${CASE}")
endif()
