# Installs the build into a fresh prefix, checks the layout, then configures, builds and runs an
# outside project that finds Lifeline with find_package(Lifeline CONFIG REQUIRED).
# Arguments: -DBUILD_DIR=... -DWORK_DIR=... -DCONSUMER_DIR=...
set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
    message("${out}")
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "failed (${result}): ${ARGN}")
    endif()
endfunction()

run("${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")
foreach(expected bin/lifeline bin/lifeline-server include/lifeline/connectionmanager.h
                 include/lifeline/appsettingsbuilder.h include/lifeline/enums.h
                 include/lifeline/translations.h
                 share/lifeline/translations/lifeline_core_de.qm)
    if(NOT EXISTS "${prefix}/${expected}")
        message(FATAL_ERROR "not installed: ${expected}")
    endif()
endforeach()
file(GLOB_RECURSE config "${prefix}/*/LifelineConfig.cmake")
if(NOT config)
    message(FATAL_ERROR "no LifelineConfig.cmake under ${prefix}")
endif()

run("${CMAKE_COMMAND}" -S "${CONSUMER_DIR}" -B "${WORK_DIR}/consumer" -G Ninja
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release)
run("${CMAKE_COMMAND}" --build "${WORK_DIR}/consumer")
run("${WORK_DIR}/consumer/consumer")
message("installed package found, linked and used: OK")
