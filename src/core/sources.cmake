# The platform-neutral core's sources: the one list, used by the DLL's
# build (CMakeLists.txt) and by the host build of the core's tests
# (tests/host/CMakeLists.txt). Paths relative to this folder.
set(WBEMSINK_CORE_FILES
  platform.c event.c ring.c status.c errors.c version.c dispatch.c
  op.c deliver.c produce.c deadline.c lifecycle.c)
set(WBEMSINK_CORE_SOURCES)
foreach(f ${WBEMSINK_CORE_FILES})
  list(APPEND WBEMSINK_CORE_SOURCES "${CMAKE_CURRENT_LIST_DIR}/${f}")
endforeach()
