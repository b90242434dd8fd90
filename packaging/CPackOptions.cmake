# Read by cpack once per generator. An archive unpacks into its own folder; a .deb installs its
# files where they belong (under /usr), so it must not get that folder.
if(CPACK_GENERATOR STREQUAL "TGZ")
    set(CPACK_COMPONENT_INCLUDE_TOPLEVEL_DIRECTORY ON)
endif()
