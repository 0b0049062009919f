#ifndef FORKBOARD_CLIBGIT2_SHIM_H
#define FORKBOARD_CLIBGIT2_SHIM_H

#include <git2.h>

/* Swift cannot call C variadic functions such as git_libgit2_opts: these wrappers do. */

/// Turns libgit2's repository owner validation on (1) or off (0).
static inline int forkboard_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

/// Sets libgit2's search path for a configuration level (to keep global config out).
static inline int forkboard_git_set_search_path(git_config_level_t level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}

#endif
