# Cross-compiling for 64-bit Windows with clang (Debian's clang and lld),
# using MinGW-w64's headers, libraries and GCC's libgcc.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(WBEMSINK_TRIPLET x86_64-w64-mingw32)

set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET ${WBEMSINK_TRIPLET})
set(CMAKE_CXX_COMPILER clang++)
set(CMAKE_CXX_COMPILER_TARGET ${WBEMSINK_TRIPLET})
set(CMAKE_RC_COMPILER ${WBEMSINK_TRIPLET}-windres)

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

# clang's MinGW driver links libgcc like GCC does; it lives in GCC's tree.
file(GLOB _libgcc_dirs /usr/lib/gcc/${WBEMSINK_TRIPLET}/*-win32)
list(GET _libgcc_dirs 0 _libgcc_dir)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=lld -L${_libgcc_dir} -static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-fuse-ld=lld -L${_libgcc_dir} -static-libgcc")

if(NOT CMAKE_CROSSCOMPILING_EMULATOR AND EXISTS /usr/lib/wine/wine64)
  set(CMAKE_CROSSCOMPILING_EMULATOR /usr/lib/wine/wine64)
endif()
