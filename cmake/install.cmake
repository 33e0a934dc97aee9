# Installation: bin/wbemsink.dll, lib/ (import and static libraries),
# include/, a CMake package (find_package(wbemsink CONFIG) ->
# wbemsink::wbemsink, wbemsink::wbemsink_static, wbemsink::wbemsink_fake) and
# pkg-config files.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS wbemsink wbemsink_static wbemsink_fake EXPORT wbemsinkTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wbemsink_fake)
install(FILES include/wbemsink.h "${WBEMSINK_GENERATED_INCLUDE}/wbemsink_version.h"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/wbemsink)
install(EXPORT wbemsinkTargets NAMESPACE wbemsink:: DESTINATION ${cmakedir})
configure_package_config_file(cmake/wbemsinkConfig.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/wbemsinkConfig.cmake" INSTALL_DESTINATION ${cmakedir})
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/wbemsinkConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/wbemsinkConfig.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/wbemsinkConfigVersion.cmake" DESTINATION ${cmakedir})

foreach(pc wbemsink wbemsink_fake)
  configure_file(cmake/${pc}.pc.in "${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc" @ONLY)
  install(FILES "${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
