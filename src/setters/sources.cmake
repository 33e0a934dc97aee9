# The typed setters (wbemsink_set_*, wbemsink_format_*, wbemsink_fill):
# built on the public API only, part of the one library. Paths relative to
# this folder.
set(WBEMSINK_SETTERS_FILES property.c encode.c scalar.c array.c utf8.c dmtf_format.c fill.c)
set(WBEMSINK_SETTERS_SOURCES)
foreach(f ${WBEMSINK_SETTERS_FILES})
  list(APPEND WBEMSINK_SETTERS_SOURCES "${CMAKE_CURRENT_LIST_DIR}/${f}")
endforeach()
