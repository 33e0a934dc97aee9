# Cross-compiling for 32-bit Windows with Debian's MinGW-w64 (gcc-mingw-w64-i686).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(WBEMSINK_TRIPLET i686-w64-mingw32)

set(CMAKE_C_COMPILER   ${WBEMSINK_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${WBEMSINK_TRIPLET}-g++)
set(CMAKE_RC_COMPILER  ${WBEMSINK_TRIPLET}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${WBEMSINK_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Wine cannot load programs that need libgcc_s_seh-1.dll: link it in.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")

# Debian's wine64 runs only 64-bit programs (32-bit ones need wine32 from
# the i386 architecture), so 32-bit programs are built, not run, here.
