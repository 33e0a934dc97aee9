# vcpkg port of wbemsink, used as an overlay port from this repository:
#   vcpkg install wbemsink[fake,tools] --overlay-ports=<repo>/ports
#
# The source is this repository itself (the port lives in it). A port in a
# registry would instead fetch a release tag (vcpkg_from_git or a download
# with its SHA512) into SOURCE_PATH; nothing else below would change.
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        fake  WBEMSINK_BUILD_FAKE
        tools WBEMSINK_BUILD_WBEMQ
)

# BUILD_SHARED_LIBS comes from vcpkg (VCPKG_LIBRARY_LINKAGE): the DLL or the
# static library. Tests, examples and benchmarks are not built; warnings
# are not errors with vcpkg's compilers and flags.
vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        -DWBEMSINK_BUILD_TESTS=OFF
        -DWBEMSINK_BUILD_EXAMPLES=OFF
        -DWBEMSINK_BUILD_BENCH=OFF
        -DWBEMSINK_INSTALL=ON
        -DWBEMSINK_WERROR=OFF
)
vcpkg_cmake_install()
vcpkg_copy_pdbs()

# The package is installed to lib/cmake/wbemsink; vcpkg wants share/wbemsink
# (with the Debug build's wbemsinkTargets-debug.cmake merged in).
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/wbemsink)
vcpkg_fixup_pkgconfig()

if("tools" IN_LIST FEATURES)
    # wbemq.exe goes to tools/wbemsink (no programs in bin/), its manual
    # from share/doc/wbemsink beside usage and copyright.
    vcpkg_copy_tools(TOOL_NAMES wbemq AUTO_CLEAN)
    file(RENAME "${CURRENT_PACKAGES_DIR}/share/doc/${PORT}/wbemq.md"
                "${CURRENT_PACKAGES_DIR}/share/${PORT}/wbemq.md")
    file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/share/doc")
endif()

# Headers and the manual are installed by both builds: keep Release's.
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include"
                    "${CURRENT_PACKAGES_DIR}/debug/share")

vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
