# The Go peer in peer-go/, built offline against Debian's Go and gorilla/websocket (golang-go
# and golang-github-gorilla-websocket-dev, which tools/dev bench installs) into bin/peer-go,
# where bench_fanout looks for it. Without Go there is no target and no peer; the tests do not
# need it.
find_program(LIFELINE_GO_EXECUTABLE go)
if(LIFELINE_GO_EXECUTABLE)
    set(peer_go ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/peer-go)
    # GOPATH mode: Debian installs the Go libraries it packages as sources in /usr/share/gocode.
    add_custom_command(OUTPUT ${peer_go}
        COMMAND ${CMAKE_COMMAND} -E env GO111MODULE=off GOPATH=/usr/share/gocode
                GOCACHE=${CMAKE_CURRENT_BINARY_DIR}/go-cache HOME=${CMAKE_CURRENT_BINARY_DIR}
                ${LIFELINE_GO_EXECUTABLE} build -o ${peer_go} .
        WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/peer-go
        DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/peer-go/main.go
        COMMENT "Building the Go peer (bench/peer-go)"
        VERBATIM)
    add_custom_target(bench_peer_go DEPENDS ${peer_go})
endif()
