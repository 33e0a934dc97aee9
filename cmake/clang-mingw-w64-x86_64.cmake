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

include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-roots.cmake)

# clang's MinGW driver links libgcc like GCC does; it lives in GCC's tree.
file(GLOB _libgcc_dirs /usr/lib/gcc/${WBEMSINK_TRIPLET}/*-win32)
list(GET _libgcc_dirs 0 _libgcc_dir)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=lld -L${_libgcc_dir} -static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-fuse-ld=lld -L${_libgcc_dir} -static-libgcc")

if(NOT CMAKE_CROSSCOMPILING_EMULATOR AND EXISTS /usr/lib/wine/wine64)
  set(CMAKE_CROSSCOMPILING_EMULATOR /usr/lib/wine/wine64)
endif()
