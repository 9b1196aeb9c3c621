# A goroutine keeps running while main blocks reading a pipe that is written late: the
# reader parks [IO wait] and the scheduler polls standard input with its timers. The line
# comes 3 s late so that a slow start (sanitizers, a loaded machine) still reads it last.
execute_process(COMMAND sh -c "(sleep 3; printf 'late line\\n') | \"${CSP}\" run \"${DIR}/slow_pipe.csp\""
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status TIMEOUT 30)
set(want "tick 0\ntick 1\ntick 2\nread \"late line\\n\" <nil>\n0 EOF\n")
if(NOT status EQUAL 0 OR NOT "${out}" STREQUAL "${want}" OR NOT "${err}" STREQUAL "")
  message(FATAL_ERROR "status ${status}\n--- want:\n${want}--- got:\n${out}--- stderr:\n${err}")
endif()

execute_process(COMMAND sh -c "(sleep 0.2; echo one; sleep 0.3; echo two) | \"${CSP}\" run \"${DIR}/blocked_reader.csp\""
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status TIMEOUT 30)
set(want "got one\ngot two\nend <nil>\n")
if(NOT status EQUAL 0 OR NOT "${out}" STREQUAL "${want}" OR NOT "${err}" STREQUAL "")
  message(FATAL_ERROR "status ${status}\n--- want:\n${want}--- got:\n${out}--- stderr:\n${err}")
endif()
