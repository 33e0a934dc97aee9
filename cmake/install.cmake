# Installation (WBEMSINK_INSTALL): the library as built (bin/wbemsink.dll
# with lib/libwbemsink.dll.a, or lib/libwbemsink.a), include/, a CMake
# package (find_package(wbemsink CONFIG) -> wbemsink::wbemsink, and
# wbemsink::wbemsink_fake when WBEMSINK_BUILD_FAKE) and pkg-config files
# describing that same build; wbemq in bin/ with its manual in the doc dir.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(WBEMSINK_INSTALL_TARGETS wbemsink)
if(WBEMSINK_BUILD_FAKE)
  list(APPEND WBEMSINK_INSTALL_TARGETS wbemsink_fake)
endif()
install(TARGETS ${WBEMSINK_INSTALL_TARGETS} EXPORT wbemsinkTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wbemsink_fake)
install(FILES include/wbemsink.h "${WBEMSINK_GENERATED_INCLUDE}/wbemsink_version.h"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(WBEMSINK_BUILD_WBEMQ)
  install(TARGETS wbemq RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES tools/wbemq/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME wbemq.md)
endif()

set(cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/wbemsink)
install(EXPORT wbemsinkTargets NAMESPACE wbemsink:: DESTINATION ${cmakedir})
configure_package_config_file(cmake/wbemsinkConfig.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/wbemsinkConfig.cmake" INSTALL_DESTINATION ${cmakedir})
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/wbemsinkConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/wbemsinkConfig.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/wbemsinkConfigVersion.cmake" DESTINATION ${cmakedir})

# pkg-config: what the static library adds (its define). The system
# libraries are in Libs for both linkages: a program that uses the header
# calls COM itself (CoInitializeEx...), so it needs them with the DLL too,
# as the CMake target's usage requirements give them.
if(WBEMSINK_SHARED)
  set(WBEMSINK_PC_LINKAGE "the DLL")
  set(WBEMSINK_PC_CFLAGS "")
else()
  set(WBEMSINK_PC_LINKAGE "the static library")
  set(WBEMSINK_PC_CFLAGS " -DWBEMSINK_STATIC")
endif()
set(WBEMSINK_PC_FILES wbemsink)
if(WBEMSINK_BUILD_FAKE)
  list(APPEND WBEMSINK_PC_FILES wbemsink_fake)
endif()
foreach(pc ${WBEMSINK_PC_FILES})
  configure_file(cmake/${pc}.pc.in "${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc" @ONLY)
  install(FILES "${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
