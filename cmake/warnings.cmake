# One interface target carries the project's warning set; every target links it.
add_library(atcoap_warnings INTERFACE)
target_compile_options(atcoap_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough)
if(ATCOAP_WERROR)
    target_compile_options(atcoap_warnings INTERFACE -Werror)
endif()
