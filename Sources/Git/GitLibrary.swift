import CLibgit2
import Foundation

/// One-time libgit2 set-up for the process.
///
/// Initialises libgit2, turns repository owner validation off (the hub's repositories are
/// created by the hub itself, and hooks may run as another user), and clears the global,
/// XDG and system configuration search paths so that a user's `~/.gitconfig` never changes
/// what the hub does.
enum GitLibrary {
    private static let initialized: Bool = {
        git_libgit2_init()
        _ = forkboard_git_set_owner_validation(0)
        _ = forkboard_git_set_search_path(GIT_CONFIG_LEVEL_GLOBAL, "")
        _ = forkboard_git_set_search_path(GIT_CONFIG_LEVEL_XDG, "")
        _ = forkboard_git_set_search_path(GIT_CONFIG_LEVEL_SYSTEM, "")
        return true
    }()

    /// Makes sure libgit2 is initialised; cheap after the first call.
    static func ensureInitialized() {
        _ = initialized
    }
}
