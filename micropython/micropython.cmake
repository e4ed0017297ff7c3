# SPDX-License-Identifier: MIT
# The alif user C module for MicroPython's CMake-based ports:
#   cmake -DUSER_C_MODULES=<this repo>/micropython/micropython.cmake ...
# ALIF_MOD_TARGET as in micropython.mk: sim (default) or ensemble.
set(ALIF_ROOT ${CMAKE_CURRENT_LIST_DIR}/..)
if(NOT ALIF_MOD_TARGET)
    set(ALIF_MOD_TARGET sim)
endif()

add_library(usermod_alif INTERFACE)
file(GLOB ALIF_PORTABLE_SOURCES ${ALIF_ROOT}/core/*.c ${ALIF_ROOT}/ensemble/*.c)
target_sources(usermod_alif INTERFACE
    ${CMAKE_CURRENT_LIST_DIR}/modalif.c
    ${CMAKE_CURRENT_LIST_DIR}/alif_flash_mp.c
    ${CMAKE_CURRENT_LIST_DIR}/alif_mp_calls.c
    ${ALIF_PORTABLE_SOURCES})
target_include_directories(usermod_alif INTERFACE ${ALIF_ROOT}/core ${ALIF_ROOT}/ensemble)

if(ALIF_MOD_TARGET STREQUAL "sim")
    file(GLOB ALIF_SIM_SOURCES ${ALIF_ROOT}/sim/*.c)
    target_sources(usermod_alif INTERFACE ${ALIF_SIM_SOURCES})
    target_include_directories(usermod_alif INTERFACE ${ALIF_ROOT}/sim)
    target_compile_definitions(usermod_alif INTERFACE ALIF_MOD_SIM=1 ALIF_REG_MODEL=1)
elseif(ALIF_MOD_TARGET STREQUAL "ensemble")
    # The board's OSPI pins, XIP timing and storage geometry come from the port's board files.
    file(GLOB ALIF_PORT_SOURCES ${ALIF_ROOT}/alif_port/*.c)
    target_sources(usermod_alif INTERFACE ${ALIF_PORT_SOURCES})
    target_include_directories(usermod_alif INTERFACE ${ALIF_ROOT}/alif_port ${CMAKE_CURRENT_LIST_DIR})
else()
    message(FATAL_ERROR "ALIF_MOD_TARGET must be sim or ensemble, not ${ALIF_MOD_TARGET}")
endif()

target_link_libraries(usermod INTERFACE usermod_alif)
