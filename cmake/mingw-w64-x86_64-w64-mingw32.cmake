# Cross-compiling for 64-bit Windows with Debian's MinGW-w64 (gcc-mingw-w64-x86-64).
set(WBEMSINK_TRIPLET x86_64-w64-mingw32)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake)

# Windows programs run under Wine (binary not on PATH); the prefix is set
# by the project inside its build tree.
if(NOT CMAKE_CROSSCOMPILING_EMULATOR AND EXISTS /usr/lib/wine/wine64)
  set(CMAKE_CROSSCOMPILING_EMULATOR /usr/lib/wine/wine64)
endif()
