# Method calls and instance writes (src/call): a layer built on the public
# API alone (wbemsink.h), compiled into the same library. Paths relative
# to this folder.
set(WBEMSINK_CALL_FILES run.c params.c method.c instance.c object.c)
set(WBEMSINK_CALL_SOURCES)
foreach(f ${WBEMSINK_CALL_FILES})
  list(APPEND WBEMSINK_CALL_SOURCES "${CMAKE_CURRENT_LIST_DIR}/${f}")
endforeach()
