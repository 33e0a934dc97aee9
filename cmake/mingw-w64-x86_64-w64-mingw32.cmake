# Cross-compiling for 64-bit Windows with Debian's MinGW-w64 (gcc-mingw-w64-x86-64).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(WBEMSINK_TRIPLET x86_64-w64-mingw32)

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

# Windows programs run under Wine (binary not on PATH); the prefix is set
# by the project inside its build tree.
if(NOT CMAKE_CROSSCOMPILING_EMULATOR AND EXISTS /usr/lib/wine/wine64)
  set(CMAKE_CROSSCOMPILING_EMULATOR /usr/lib/wine/wine64)
endif()
