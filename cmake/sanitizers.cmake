# ASan + UBSan for the whole tree: CI runs the test suite once more in this configuration.
if(ATCOAP_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
    # For the few tests that cannot run under the sanitizers' runtime (tests/io/tcp_port_test.cpp).
    add_compile_definitions(ATCOAP_SANITIZED=1)
endif()

# Fuzz builds instrument every library for coverage; each target then links libFuzzer's main.
if(ATCOAP_FUZZ)
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()

# Helper for fuzz targets: libFuzzer's main plus the instrumentation it needs.
function(atcoap_add_fuzzer name)
    add_executable(${name} ${ARGN})
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name} PRIVATE atcoap_warnings)
endfunction()
