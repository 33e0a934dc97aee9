# Cross-compiling for 32-bit Windows with Debian's MinGW-w64 (gcc-mingw-w64-i686).
set(WBEMSINK_TRIPLET i686-w64-mingw32)
set(CMAKE_SYSTEM_PROCESSOR i686)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake)

# Debian's wine64 runs only 64-bit programs (32-bit ones need wine32 from
# the i386 architecture), so 32-bit programs are built, not run, here.
