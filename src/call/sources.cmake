# Method calls and instance writes (src/call): a layer built on the public
# API alone (wbemsink.h), compiled into the same library. Included by the
# top-level CMakeLists.txt right after the shell's list, which it extends.
set(WBEMSINK_CALL_FILES run.c params.c method.c instance.c object.c)
foreach(f ${WBEMSINK_CALL_FILES})
  list(APPEND WBEMSINK_WIN_SOURCES "${CMAKE_CURRENT_LIST_DIR}/${f}")
endforeach()
