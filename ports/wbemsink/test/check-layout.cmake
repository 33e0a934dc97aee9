# Runs ports/wbemsink/portfile.cmake offline, as vcpkg would for a MinGW
# triplet, with the stand-ins of vcpkg-stand-ins.cmake, then vcpkg's
# post-build checks on the package directory it produced.
#
#   cmake -DTRIPLET=x64-mingw-dynamic|x64-mingw-static -DWORK=<dir>
#         [-DPORT_FEATURES=fake;tools] -P check-layout.cmake
#
# Leaves the package in <WORK>/packages/wbemsink_<TRIPLET>, vcpkg's layout
# (the consumer test builds against it); logs in <WORK>/buildtrees.
cmake_minimum_required(VERSION 3.16)
foreach(v TRIPLET WORK)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check-layout.cmake: -D${v}=... is required")
  endif()
endforeach()
if(NOT DEFINED PORT_FEATURES)
  set(PORT_FEATURES fake tools)
endif()

get_filename_component(Z_PORT_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
get_filename_component(Z_SOURCE_PATH "${Z_PORT_DIR}/../.." ABSOLUTE)
set(Z_TOOLCHAIN_FILE "${Z_SOURCE_PATH}/cmake/mingw-w64-x86_64-w64-mingw32.cmake")
set(Z_GENERATOR_ARGS "")
find_program(Z_NINJA ninja)
if(Z_NINJA)
  set(Z_GENERATOR_ARGS -G Ninja)   # what vcpkg_cmake_configure uses
endif()

# What vcpkg sets for the port's script (the community triplets
# x64-mingw-dynamic / x64-mingw-static, scripts/cmake/vcpkg_common_definitions).
set(PORT wbemsink)
set(TARGET_TRIPLET "${TRIPLET}")
if(TRIPLET STREQUAL "x64-mingw-dynamic")
  set(VCPKG_LIBRARY_LINKAGE dynamic)
elseif(TRIPLET STREQUAL "x64-mingw-static")
  set(VCPKG_LIBRARY_LINKAGE static)
else()
  message(FATAL_ERROR "check-layout.cmake: TRIPLET is x64-mingw-dynamic or x64-mingw-static")
endif()
set(VCPKG_TARGET_ARCHITECTURE x64)
set(VCPKG_CRT_LINKAGE dynamic)
set(VCPKG_CMAKE_SYSTEM_NAME MinGW)
set(VCPKG_TARGET_IS_WINDOWS ON)
set(VCPKG_TARGET_IS_MINGW ON)
set(VCPKG_TARGET_EXECUTABLE_SUFFIX .exe)
set(FEATURES core ${PORT_FEATURES})
set(CURRENT_PACKAGES_DIR "${WORK}/packages/${PORT}_${TRIPLET}")
set(CURRENT_INSTALLED_DIR "${WORK}/installed/${TRIPLET}")
set(CURRENT_BUILDTREES_DIR "${WORK}/buildtrees/${PORT}")
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}" "${CURRENT_BUILDTREES_DIR}")
file(MAKE_DIRECTORY "${CURRENT_PACKAGES_DIR}" "${CURRENT_BUILDTREES_DIR}")

message("${TRIPLET} [${PORT_FEATURES}]: portfile.cmake with vcpkg stand-ins")
include("${CMAKE_CURRENT_LIST_DIR}/vcpkg-stand-ins.cmake")
include("${Z_PORT_DIR}/portfile.cmake")

# The layout the port must leave, file by file.
set(want include/wbemsink.h include/wbemsink_version.h
    share/wbemsink/copyright share/wbemsink/usage
    share/wbemsink/wbemsinkConfig.cmake share/wbemsink/wbemsinkConfigVersion.cmake
    share/wbemsink/wbemsinkTargets.cmake share/wbemsink/wbemsinkTargets-release.cmake
    share/wbemsink/wbemsinkTargets-debug.cmake
    lib/pkgconfig/wbemsink.pc debug/lib/pkgconfig/wbemsink.pc)
if(VCPKG_LIBRARY_LINKAGE STREQUAL "dynamic")
  list(APPEND want bin/wbemsink.dll debug/bin/wbemsink.dll lib/libwbemsink.dll.a debug/lib/libwbemsink.dll.a)
else()
  list(APPEND want lib/libwbemsink.a debug/lib/libwbemsink.a)
endif()
if("fake" IN_LIST FEATURES)
  list(APPEND want include/wbemsink_fake/wbemsink_fake.h include/wbemsink_fake/fake_object.h
       include/wbemsink_fake/fake_services.h include/wbemsink_fake/fake_enum.h
       include/wbemsink_fake/fake_locator.h
       lib/libwbemsink_fake.a debug/lib/libwbemsink_fake.a
       lib/pkgconfig/wbemsink_fake.pc debug/lib/pkgconfig/wbemsink_fake.pc)
endif()
if("tools" IN_LIST FEATURES)
  list(APPEND want tools/wbemsink/wbemq.exe share/wbemsink/wbemq.md)
  if(VCPKG_LIBRARY_LINKAGE STREQUAL "dynamic")
    list(APPEND want tools/wbemsink/wbemsink.dll)
  endif()
endif()

message("${TRIPLET} [${PORT_FEATURES}]: vcpkg post-build checks")
include("${CMAKE_CURRENT_LIST_DIR}/post-build-checks.cmake")
z_post_build_checks(${want})
if(z_checks_failed GREATER 0)
  message(FATAL_ERROR "${TRIPLET}: ${z_checks_failed} post-build check(s) failed")
endif()
