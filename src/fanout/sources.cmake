# The fan-out (issue 21): one operation on many hosts, built on the public
# API of wbemsink.h only. Paths relative to this folder.
set(WBEMSINK_FANOUT_FILES
  fanout.c fanout_object.c fanout_monitor.c fanout_worker.c fanout_target.c fanout_report.c fanout_thread.c)
set(WBEMSINK_FANOUT_SOURCES)
foreach(f ${WBEMSINK_FANOUT_FILES})
  list(APPEND WBEMSINK_FANOUT_SOURCES "${CMAKE_CURRENT_LIST_DIR}/${f}")
endforeach()
