# The easy interface (wbemsink_query): built on the public API of
# include/wbemsink.h only, compiled into the same library. Paths relative
# to this folder.
set(WBEMSINK_EASY_SOURCES "${CMAKE_CURRENT_LIST_DIR}/query.c")
