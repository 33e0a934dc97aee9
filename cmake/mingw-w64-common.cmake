# Shared by the MinGW-w64 GCC toolchain files, which set WBEMSINK_TRIPLET
# and CMAKE_SYSTEM_PROCESSOR first.
set(CMAKE_SYSTEM_NAME Windows)

set(CMAKE_C_COMPILER   ${WBEMSINK_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${WBEMSINK_TRIPLET}-g++)
set(CMAKE_RC_COMPILER  ${WBEMSINK_TRIPLET}-windres)

include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-roots.cmake)

# Wine cannot load programs that need libgcc_s_*.dll: link it in.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")
