# Where a MinGW-w64 toolchain file (GCC's or clang's, which set
# WBEMSINK_TRIPLET first) finds the target's libraries and packages.
set(CMAKE_FIND_ROOT_PATH /usr/${WBEMSINK_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# A prefix named in CMAKE_PREFIX_PATH (-D or the environment), such as one
# wbemsink was installed into, holds packages built for the target: make it
# a root too, so that the ONLY modes above search it as given (a path
# already inside a root is not re-rooted under /usr/${WBEMSINK_TRIPLET}).
set(_wbemsink_prefixes ${CMAKE_PREFIX_PATH})
if(DEFINED ENV{CMAKE_PREFIX_PATH})
  string(REPLACE ":" ";" _wbemsink_env_prefixes "$ENV{CMAKE_PREFIX_PATH}")
  list(APPEND _wbemsink_prefixes ${_wbemsink_env_prefixes})
endif()
list(APPEND CMAKE_FIND_ROOT_PATH ${_wbemsink_prefixes})
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
