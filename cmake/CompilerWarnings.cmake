# One place for the warning flags every target of ours uses.
function(llamadesk_set_warnings target)
    if(MSVC)
        target_compile_options(${target} PRIVATE /W4 /permissive-)
        if(LLAMADESK_WERROR)
            target_compile_options(${target} PRIVATE /WX)
        endif()
    else()
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                                 -Wnon-virtual-dtor -Wcast-align
                                                 -Wunused -Woverloaded-virtual
                                                 -Wnull-dereference -Wformat=2)
        if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
            # Qt's qCWarning(category) with no message expands to an empty __VA_ARGS__.
            target_compile_options(${target} PRIVATE -Wno-gnu-zero-variadic-macro-arguments)
        endif()
        if(LLAMADESK_WERROR)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
    # Qt: no implicit casts from/to ASCII, explicit QString construction.
    target_compile_definitions(${target} PRIVATE QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII
                                                 QT_NO_URL_CAST_FROM_STRING
                                                 QT_NO_CAST_FROM_BYTEARRAY
                                                 QT_USE_QSTRINGBUILDER
                                                 QT_DISABLE_DEPRECATED_UP_TO=0x060000)
endfunction()
