# Shared by the MinGW-w64 GCC toolchain files, which set WBEMSINK_TRIPLET
# and CMAKE_SYSTEM_PROCESSOR first.
set(CMAKE_SYSTEM_NAME Windows)

set(CMAKE_C_COMPILER   ${WBEMSINK_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${WBEMSINK_TRIPLET}-g++)
set(CMAKE_RC_COMPILER  ${WBEMSINK_TRIPLET}-windres)

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

# Wine cannot load programs that need libgcc_s_*.dll: link it in.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")
