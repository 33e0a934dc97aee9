# Minimal stand-ins for the vcpkg helpers ports/wbemsink/portfile.cmake calls,
# so that the portfile runs offline (vcpkg itself is not installed here).
# Test code: each stand-in names the helper and what of it is emulated.
# Each fix-up first asserts what the real helper needs to find (a failed
# precondition is fatal, as the real helper's would be), then does to the
# tree what the real helper does, after vcpkg's own sources
# (ports/vcpkg-cmake*/, scripts/cmake/).
#
# Needs, from check-layout.cmake: PORT, TARGET_TRIPLET, VCPKG_* triplet
# variables, CURRENT_PACKAGES_DIR, CURRENT_INSTALLED_DIR,
# CURRENT_BUILDTREES_DIR, FEATURES, Z_SOURCE_PATH (the repository),
# Z_TOOLCHAIN_FILE, Z_GENERATOR_ARGS.

function(z_fail msg)
  message(FATAL_ERROR "  FAIL  ${msg}")
endfunction()
function(z_ok msg)
  message("  ok    ${msg}")
endfunction()

# Absolute paths of this build that must not appear in installed text files.
function(z_no_abs_paths what)
  foreach(f IN LISTS ARGN)
    file(READ "${f}" c)
    foreach(p IN ITEMS "${CURRENT_PACKAGES_DIR}" "${CURRENT_BUILDTREES_DIR}" "${Z_SOURCE_PATH}")
      string(FIND "${c}" "${p}" at)
      if(NOT at EQUAL -1)
        z_fail("${what}: ${f} holds the absolute path ${p}")
      endif()
    endforeach()
  endforeach()
endfunction()

# vcpkg_check_features (scripts/cmake): FEATURES <feature> <VAR>... gives
# -D<VAR>=ON when the feature is in FEATURES, else -D<VAR>=OFF. Emulated in
# full for FEATURES (INVERTED_FEATURES and PREFIX are not used by the port).
function(vcpkg_check_features)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "OUT_FEATURE_OPTIONS" "FEATURES")
  set(opts "")
  list(LENGTH arg_FEATURES n)
  math(EXPR last "${n} - 1")
  foreach(i RANGE 0 ${last} 2)
    math(EXPR j "${i} + 1")
    list(GET arg_FEATURES ${i} feature)
    list(GET arg_FEATURES ${j} var)
    if(feature IN_LIST FEATURES)
      list(APPEND opts "-D${var}=ON")
    else()
      list(APPEND opts "-D${var}=OFF")
    endif()
  endforeach()
  set(${arg_OUT_FEATURE_OPTIONS} "${opts}" PARENT_SCOPE)
endfunction()

# vcpkg_cmake_configure (ports/vcpkg-cmake): configures <triplet>-rel
# (Release, prefix CURRENT_PACKAGES_DIR) and <triplet>-dbg (Debug, prefix
# CURRENT_PACKAGES_DIR/debug) with the port's OPTIONS and the options vcpkg
# adds that matter to the layout: BUILD_SHARED_LIBS from
# VCPKG_LIBRARY_LINKAGE, CMAKE_INSTALL_LIBDIR=lib, CMAKE_INSTALL_BINDIR=bin,
# CMAKE_ERROR_ON_ABSOLUTE_INSTALL_DESTINATION, no package registry. Like the
# real one, it reports the port's own -D variables that CMake says went
# unused (here as a failure). Not emulated: vcpkg's toolchain (this tree's
# MinGW toolchain file stands in for scripts/toolchains/mingw.cmake), Ninja,
# the parallel configure.
function(vcpkg_cmake_configure)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "SOURCE_PATH" "OPTIONS;OPTIONS_RELEASE;OPTIONS_DEBUG;MAYBE_UNUSED_VARIABLES")
  if(VCPKG_LIBRARY_LINKAGE STREQUAL "dynamic")
    set(shared ON)
  else()
    set(shared OFF)
  endif()
  set(common -DCMAKE_TOOLCHAIN_FILE=${Z_TOOLCHAIN_FILE} -DBUILD_SHARED_LIBS=${shared}
      -DCMAKE_INSTALL_LIBDIR:STRING=lib -DCMAKE_INSTALL_BINDIR:STRING=bin
      -DCMAKE_ERROR_ON_ABSOLUTE_INSTALL_DESTINATION=ON
      -DCMAKE_EXPORT_NO_PACKAGE_REGISTRY=ON -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
      -DCMAKE_INSTALL_SYSTEM_RUNTIME_LIBS_SKIP=TRUE)
  set(port_vars "")
  foreach(o IN LISTS arg_OPTIONS arg_OPTIONS_RELEASE arg_OPTIONS_DEBUG)
    if(o MATCHES "^-D([^:=]*)[:=]")
      list(APPEND port_vars "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  foreach(cfg IN ITEMS rel dbg)
    if(cfg STREQUAL "rel")
      set(type Release)
      set(prefix "${CURRENT_PACKAGES_DIR}")
      set(extra ${arg_OPTIONS_RELEASE})
    else()
      set(type Debug)
      set(prefix "${CURRENT_PACKAGES_DIR}/debug")
      set(extra ${arg_OPTIONS_DEBUG})
    endif()
    set(dir "${CURRENT_BUILDTREES_DIR}/${TARGET_TRIPLET}-${cfg}")
    file(REMOVE_RECURSE "${dir}")
    execute_process(COMMAND "${CMAKE_COMMAND}" -S "${arg_SOURCE_PATH}" -B "${dir}" ${Z_GENERATOR_ARGS}
        ${arg_OPTIONS} ${extra} ${common} -DCMAKE_BUILD_TYPE=${type} "-DCMAKE_INSTALL_PREFIX=${prefix}"
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    file(WRITE "${CURRENT_BUILDTREES_DIR}/config-${TARGET_TRIPLET}-${cfg}.log" "${out}")
    if(NOT rc EQUAL 0)
      z_fail("vcpkg_cmake_configure (${type}) failed:\n${out}")
    endif()
    if(out MATCHES "Manually-specified variables were not used by the project:\n\n([^\n]+(\n[^\n]+)*)")
      string(REGEX MATCHALL "[A-Za-z0-9_]+" unused "${CMAKE_MATCH_1}")
      foreach(v IN LISTS unused)
        if(v IN_LIST port_vars AND NOT v IN_LIST arg_MAYBE_UNUSED_VARIABLES)
          z_fail("vcpkg_cmake_configure (${type}): the port passes ${v}, which the project does not use")
        endif()
      endforeach()
    endif()
  endforeach()
  z_ok("vcpkg_cmake_configure: Release and Debug configured (BUILD_SHARED_LIBS=${shared}) ${arg_OPTIONS}")
endfunction()

# vcpkg_cmake_install (ports/vcpkg-cmake): builds the install target of both
# configurations. Emulated as is (the real one goes through
# vcpkg_cmake_build(TARGET install)).
function(vcpkg_cmake_install)
  include(ProcessorCount)
  ProcessorCount(jobs)
  foreach(cfg IN ITEMS rel dbg)
    execute_process(COMMAND "${CMAKE_COMMAND}" --build "${CURRENT_BUILDTREES_DIR}/${TARGET_TRIPLET}-${cfg}"
        --target install -j ${jobs}
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    file(WRITE "${CURRENT_BUILDTREES_DIR}/install-${TARGET_TRIPLET}-${cfg}.log" "${out}")
    if(NOT rc EQUAL 0)
      z_fail("vcpkg_cmake_install (${cfg}) failed:\n${out}")
    endif()
  endforeach()
  z_ok("vcpkg_cmake_install: Release into packages/, Debug into packages/debug")
endfunction()

# vcpkg_copy_pdbs (scripts/cmake): copies each DLL's .pdb beside it in bin/.
# MinGW writes no .pdb: nothing to do; the stand-in asserts there are none.
function(vcpkg_copy_pdbs)
  file(GLOB_RECURSE pdbs "${CURRENT_PACKAGES_DIR}/*.pdb")
  if(pdbs)
    z_fail("vcpkg_copy_pdbs: unexpected .pdb files from MinGW: ${pdbs}")
  endif()
endfunction()

# vcpkg_cmake_config_fixup (ports/vcpkg-cmake-config). Preconditions: the
# package in <CONFIG_PATH> of both builds, with Config, ConfigVersion,
# Targets and Targets-<config> files, and no absolute path of this build.
# Then, as the real helper: moves <CONFIG_PATH> to share/<PACKAGE_NAME>
# (and debug's to debug/share/<PACKAGE_NAME>), deletes the emptied parent
# named "cmake"; drops debug's Targets/Config/ConfigVersion; rewrites
# ${_IMPORT_PREFIX}/bin/*.exe to tools/<port> in the -release files; moves
# the -debug files to share/<PACKAGE_NAME> with ${_IMPORT_PREFIX}/lib and
# /bin pointing into debug/; sets the depth of _IMPORT_PREFIX (3 x PATH)
# and PACKAGE_PREFIX_DIR (../../) for share/<name>; replaces the packages
# dir with ${_IMPORT_PREFIX}; removes an empty debug/share. Not emulated:
# CONFIG_PATH=share, TOOLS_PATH, NO_PREFIX_CORRECTION, VCPKG_BUILD_TYPE.
function(vcpkg_cmake_config_fixup)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "PACKAGE_NAME;CONFIG_PATH" "")
  if(NOT arg_PACKAGE_NAME)
    set(arg_PACKAGE_NAME "${PORT}")
  endif()
  set(name "${arg_PACKAGE_NAME}")
  set(rel "${CURRENT_PACKAGES_DIR}/${arg_CONFIG_PATH}")
  set(dbg "${CURRENT_PACKAGES_DIR}/debug/${arg_CONFIG_PATH}")
  foreach(pair IN ITEMS "${rel}|release" "${dbg}|debug")
    string(REPLACE "|" ";" pair "${pair}")
    list(GET pair 0 dir)
    list(GET pair 1 cfg)
    if(NOT IS_DIRECTORY "${dir}")
      z_fail("vcpkg_cmake_config_fixup: '${dir}' does not exist (the ${cfg} build installed its CMake package elsewhere)")
    endif()
    foreach(f IN ITEMS Config ConfigVersion Targets Targets-${cfg})
      if(NOT EXISTS "${dir}/${name}${f}.cmake")
        z_fail("vcpkg_cmake_config_fixup: ${arg_CONFIG_PATH}/${name}${f}.cmake missing from the ${cfg} install")
      endif()
    endforeach()
    file(GLOB files "${dir}/*.cmake")
    z_no_abs_paths("vcpkg_cmake_config_fixup" ${files})
  endforeach()
  z_ok("vcpkg_cmake_config_fixup preconditions: ${arg_CONFIG_PATH} and debug/${arg_CONFIG_PATH} hold ${name}{Config,ConfigVersion,Targets,Targets-<config>}.cmake, no absolute paths")

  set(release_share "${CURRENT_PACKAGES_DIR}/share/${name}")
  set(debug_share "${CURRENT_PACKAGES_DIR}/debug/share/${name}")
  foreach(pair IN ITEMS "${dbg}|${debug_share}" "${rel}|${release_share}")
    string(REPLACE "|" ";" pair "${pair}")
    list(GET pair 0 from)
    list(GET pair 1 to)
    file(MAKE_DIRECTORY "${to}")
    file(GLOB files "${from}/*")
    file(COPY ${files} DESTINATION "${to}")
    file(REMOVE_RECURSE "${from}")
    get_filename_component(parent "${from}" DIRECTORY)
    get_filename_component(parent_name "${parent}" NAME)
    string(TOLOWER "${parent_name}" parent_name)
    if(parent_name STREQUAL "cmake")
      file(REMOVE_RECURSE "${parent}")
    endif()
  endforeach()
  file(GLOB_RECURSE unused "${debug_share}/*[Tt]argets.cmake" "${debug_share}/*[Cc]onfig.cmake"
       "${debug_share}/*[Cc]onfigVersion.cmake" "${debug_share}/*[Cc]onfig-version.cmake")
  if(unused)
    file(REMOVE ${unused})
  endif()
  string(REPLACE "." "\\." exe_suffix "${VCPKG_TARGET_EXECUTABLE_SUFFIX}")
  file(GLOB_RECURSE release_targets "${release_share}/*-release.cmake")
  foreach(f IN LISTS release_targets)
    file(READ "${f}" c)
    string(REGEX REPLACE "\\\${_IMPORT_PREFIX}/bin/([^ \"]+${exe_suffix})" "\${_IMPORT_PREFIX}/tools/${PORT}/\\1" c "${c}")
    file(WRITE "${f}" "${c}")
  endforeach()
  file(GLOB_RECURSE debug_targets "${debug_share}/*-debug.cmake")
  foreach(f IN LISTS debug_targets)
    file(RELATIVE_PATH relf "${debug_share}" "${f}")
    file(READ "${f}" c)
    string(REGEX REPLACE "\\\${_IMPORT_PREFIX}/bin/([^ \";]+${exe_suffix})" "\${_IMPORT_PREFIX}/tools/${PORT}/\\1" c "${c}")
    string(REPLACE "\${_IMPORT_PREFIX}/lib" "\${_IMPORT_PREFIX}/debug/lib" c "${c}")
    string(REPLACE "\${_IMPORT_PREFIX}/bin" "\${_IMPORT_PREFIX}/debug/bin" c "${c}")
    file(WRITE "${release_share}/${relf}" "${c}")
    file(REMOVE "${f}")
  endforeach()
  file(GLOB_RECURSE main_cmakes "${release_share}/*.cmake")
  foreach(f IN LISTS main_cmakes)
    file(READ "${f}" c)
    string(REGEX REPLACE
[[get_filename_component\(_IMPORT_PREFIX "\${CMAKE_CURRENT_LIST_FILE}" PATH\)(
get_filename_component\(_IMPORT_PREFIX "\${_IMPORT_PREFIX}" PATH\))*]]
[[get_filename_component(_IMPORT_PREFIX "${CMAKE_CURRENT_LIST_FILE}" PATH)
get_filename_component(_IMPORT_PREFIX "${_IMPORT_PREFIX}" PATH)
get_filename_component(_IMPORT_PREFIX "${_IMPORT_PREFIX}" PATH)]] c "${c}")
    string(REGEX REPLACE
[[get_filename_component\(PACKAGE_PREFIX_DIR "\${CMAKE_CURRENT_LIST_DIR}/\.\./(\.\./)*" ABSOLUTE\)]]
[[get_filename_component(PACKAGE_PREFIX_DIR "${CMAKE_CURRENT_LIST_DIR}/../../" ABSOLUTE)]] c "${c}")
    string(REPLACE "${CURRENT_INSTALLED_DIR}" [[${_IMPORT_PREFIX}]] c "${c}")
    string(REPLACE "${CURRENT_PACKAGES_DIR}" [[${_IMPORT_PREFIX}]] c "${c}")
    file(WRITE "${f}" "${c}")
  endforeach()
  foreach(d IN ITEMS "${debug_share}" "${CURRENT_PACKAGES_DIR}/debug/share")
    file(GLOB_RECURSE left "${d}/*")
    if(NOT left)
      file(REMOVE_RECURSE "${d}")
    endif()
  endforeach()
  z_ok("vcpkg_cmake_config_fixup: ${arg_CONFIG_PATH} -> share/${name}, Targets-debug.cmake merged, prefix depth fixed")
endfunction()

# vcpkg_fixup_pkgconfig (scripts/cmake). Preconditions: the .pc files in
# lib/pkgconfig and debug/lib/pkgconfig, the same names in both, no
# absolute path of this build. Then, as the real helper's
# z_vcpkg_fixup_pkgconfig_process_data: every prefix= line replaced by
# prefix=${pcfiledir}/<to the (debug) root>; in debug files ${prefix}/include
# and ${prefix}/share become ${prefix}/../include and ../share; for a static
# linkage Libs/Requires/Cflags merged with their .private lines (vcpkg never
# calls pkg-config --static); -L/-I/-l ${...} arguments quoted; then the
# check: pkg-config --exists <name> with PKG_CONFIG_PATH at the package's
# lib/pkgconfig. Not emulated: the optimized/debug keyword filtering of Libs,
# Windows path forms, share/pkgconfig.
function(vcpkg_fixup_pkgconfig)
  file(GLOB rel_pcs RELATIVE "${CURRENT_PACKAGES_DIR}/lib/pkgconfig" "${CURRENT_PACKAGES_DIR}/lib/pkgconfig/*.pc")
  file(GLOB dbg_pcs RELATIVE "${CURRENT_PACKAGES_DIR}/debug/lib/pkgconfig" "${CURRENT_PACKAGES_DIR}/debug/lib/pkgconfig/*.pc")
  file(GLOB_RECURSE all_pcs "${CURRENT_PACKAGES_DIR}/*.pc")
  list(LENGTH all_pcs n_all)
  list(LENGTH rel_pcs n_rel)
  list(LENGTH dbg_pcs n_dbg)
  math(EXPR n_expected "${n_rel} + ${n_dbg}")
  if(NOT rel_pcs OR NOT rel_pcs STREQUAL dbg_pcs OR NOT n_all EQUAL n_expected)
    z_fail("vcpkg_fixup_pkgconfig: .pc files expected in lib/pkgconfig and debug/lib/pkgconfig alike; found ${all_pcs}")
  endif()
  z_no_abs_paths("vcpkg_fixup_pkgconfig" ${all_pcs})
  z_ok("vcpkg_fixup_pkgconfig preconditions: lib/pkgconfig and debug/lib/pkgconfig hold ${rel_pcs}, no absolute paths")
  foreach(cfg IN ITEMS RELEASE DEBUG)
    if(cfg STREQUAL "DEBUG")
      set(root "${CURRENT_PACKAGES_DIR}/debug")
    else()
      set(root "${CURRENT_PACKAGES_DIR}")
    endif()
    foreach(pc IN LISTS rel_pcs)
      set(f "${root}/lib/pkgconfig/${pc}")
      file(RELATIVE_PATH up "${root}/lib/pkgconfig" "${root}")
      file(READ "${f}" c)
      string(REPLACE "\r\n" "\n" c "\n${c}\n")
      string(REPLACE "${CURRENT_PACKAGES_DIR}" [[${prefix}]] c "${c}")
      string(REPLACE "${CURRENT_INSTALLED_DIR}" [[${prefix}]] c "${c}")
      string(REGEX REPLACE "\n[\t ]*prefix[\t ]*=[^\n]*" "" c "prefix=\${pcfiledir}/${up}${c}")
      if(cfg STREQUAL "DEBUG")
        string(REPLACE [[${prefix}/debug]] [[${prefix}]] c "${c}")
        string(REPLACE [[${prefix}/include]] [[${prefix}/../include]] c "${c}")
        string(REPLACE [[${prefix}/share]] [[${prefix}/../share]] c "${c}")
      endif()
      if(VCPKG_LIBRARY_LINKAGE STREQUAL "static")
        foreach(item IN ITEMS Libs Requires Cflags)
          set(line "")
          if(c MATCHES "\n${item}: *([^\n]*)")
            string(APPEND line " ${CMAKE_MATCH_1}")
          endif()
          if(c MATCHES "\n${item}\\.private: *([^\n]*)")
            string(APPEND line " ${CMAKE_MATCH_1}")
          endif()
          string(REGEX REPLACE "\n${item}(\\.private)?:[^\n]*" "" c "${c}")
          if(NOT line STREQUAL "")
            string(APPEND c "${item}:${line}\n")
          endif()
        endforeach()
      endif()
      string(REGEX REPLACE "([ =])(-[LIl]\\\${[^}]*}[^ ;\n\t]*)" [[\1"\2"]] c "${c}")
      file(WRITE "${f}" "${c}")
    endforeach()
    foreach(pc IN LISTS rel_pcs)
      string(REGEX REPLACE "\\.pc$" "" mod "${pc}")
      set(ENV{PKG_CONFIG_PATH} "${root}/lib/pkgconfig")
      execute_process(COMMAND pkg-config --print-errors --exists "${mod}" RESULT_VARIABLE rc ERROR_VARIABLE err)
      if(NOT rc EQUAL 0)
        z_fail("vcpkg_fixup_pkgconfig: pkg-config --exists ${mod} (${cfg}) failed: ${err}")
      endif()
    endforeach()
  endforeach()
  z_ok("vcpkg_fixup_pkgconfig: prefix=\${pcfiledir}/../.., debug include -> ../include, pkg-config --exists passes")
endfunction()

# vcpkg_copy_tools (scripts/cmake): copies bin/<tool>.exe to tools/<port>
# (fatal if missing); AUTO_CLEAN is vcpkg_clean_executables_in_bin: deletes
# the tool from bin/ and debug/bin/ and those directories when left empty.
# vcpkg_copy_tool_dependencies (PowerShell's applocal.ps1 on the real
# thing) is emulated as copying the package's own DLLs beside the tool.
function(vcpkg_copy_tools)
  cmake_parse_arguments(PARSE_ARGV 0 arg "AUTO_CLEAN" "" "TOOL_NAMES")
  set(dest "${CURRENT_PACKAGES_DIR}/tools/${PORT}")
  foreach(t IN LISTS arg_TOOL_NAMES)
    set(exe "${CURRENT_PACKAGES_DIR}/bin/${t}${VCPKG_TARGET_EXECUTABLE_SUFFIX}")
    if(NOT EXISTS "${exe}")
      z_fail("vcpkg_copy_tools: couldn't find tool \"${t}\": \"${exe}\" does not exist")
    endif()
    file(COPY "${exe}" DESTINATION "${dest}")
    if(arg_AUTO_CLEAN)
      file(REMOVE "${exe}" "${CURRENT_PACKAGES_DIR}/debug/bin/${t}${VCPKG_TARGET_EXECUTABLE_SUFFIX}")
    endif()
  endforeach()
  if(arg_AUTO_CLEAN)
    foreach(d IN ITEMS "${CURRENT_PACKAGES_DIR}/bin" "${CURRENT_PACKAGES_DIR}/debug/bin")
      file(GLOB items "${d}/*")
      if(IS_DIRECTORY "${d}" AND NOT items)
        file(REMOVE_RECURSE "${d}")
      endif()
    endforeach()
  endif()
  file(GLOB dlls "${CURRENT_PACKAGES_DIR}/bin/*.dll")
  if(dlls)
    file(COPY ${dlls} DESTINATION "${dest}")
  endif()
  z_ok("vcpkg_copy_tools: ${arg_TOOL_NAMES} -> tools/${PORT}")
endfunction()

# vcpkg_install_copyright (scripts/cmake): FILE_LIST of one file is copied
# to share/<port>/copyright (several would be concatenated with headings).
function(vcpkg_install_copyright)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "" "FILE_LIST")
  list(LENGTH arg_FILE_LIST n)
  if(NOT n EQUAL 1)
    z_fail("vcpkg_install_copyright: the stand-in handles one file, got ${arg_FILE_LIST}")
  endif()
  configure_file("${arg_FILE_LIST}" "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright" COPYONLY)
endfunction()
