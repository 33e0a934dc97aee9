# The Wine session the tests share (cmake -P, from tests/CMakeLists.txt).
#   -DACTION=start: a persistent wineserver and Wine's services (wineboot),
#     with their output to a log file. A test program that started the
#     services itself would have them inherit its output pipe, and CTest
#     would charge that test until the wineserver ended, after the last
#     test: seconds of work reported as the whole run, and a timeout when
#     the run is long.
#   -DACTION=stop: ends that wineserver and what runs under it.
# Needs WINEPREFIX in the environment, and -DWINE=<wine64 binary>.
get_filename_component(bindir "${WINE}" DIRECTORY)
set(server "${bindir}/wineserver")
set(log "$ENV{WINEPREFIX}.log")
if(ACTION STREQUAL "start")
  # The prefix made or updated in a session of its own, which then ends...
  execute_process(COMMAND "${WINE}" wineboot --init INPUT_FILE /dev/null
                  OUTPUT_FILE "${log}.init" ERROR_FILE "${log}.init" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "wineboot --init failed (${rc}); see ${log}.init")
  endif()
  execute_process(COMMAND "${server}" -w)
  # ... then the tests' session: a wineserver that stays, and Wine's
  # services started as any program's first start would (plain wineboot).
  execute_process(COMMAND "${server}" -p INPUT_FILE /dev/null
                  OUTPUT_FILE "${log}" ERROR_FILE "${log}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "wineserver -p failed (${rc}); see ${log}")
  endif()
  execute_process(COMMAND "${WINE}" wineboot INPUT_FILE /dev/null
                  OUTPUT_FILE "${log}.boot" ERROR_FILE "${log}.boot" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "wineboot failed (${rc}); see ${log}.boot")
  endif()
elseif(ACTION STREQUAL "stop")
  execute_process(COMMAND "${server}" -k INPUT_FILE /dev/null
                  OUTPUT_QUIET ERROR_QUIET)
else()
  message(FATAL_ERROR "ACTION=start or ACTION=stop")
endif()
