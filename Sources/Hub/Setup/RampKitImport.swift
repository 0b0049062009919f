import Foundation

/// Makes a hub from a ramp-workflow starting kit left as it was published (a directory with
/// `problem.py`, `data/`, `submissions/starting_kit/` and `requirements.txt`): a template is
/// staged in a temporary directory, whose `prepare_data.py` is Forkboard's
/// `ramp/prepare_kit.py` (it runs the kit's own `get_train_data`, `get_test_data`, `get_cv`
/// and reads its `Predictions` and `score_types`, and writes the data, the folds and
/// challenge.yaml), whose harness is `ramp/harness/` (it trains and predicts with the kit's
/// own workflow, from the kit's `problem.py` under `/harness/kit`, on the kit's own X and y
/// rebuilt as its `get_train_data` gave them), whose score programs (`scoring/`) compute the
/// kit's score types that have no built-in equivalent with the kit's own classes
/// (`ramp/score_type.py`, the kit's modules under `scoring/kit`), and whose starting kit is
/// the kit's `submissions/starting_kit/`. The kit is only read.
public enum RampKitImport {
    /// Creates a hub home at `home` from the kit at `kit`.
    /// - Parameters:
    ///   - python: an interpreter with the kit's requirements and ramp-workflow, or nil to
    ///     build the hub's runtime from the kit's `requirements.txt` (ramp-workflow added).
    ///   - constraints: requirement lines the organisers add to the kit's (pins such as
    ///     `pandas<3`), or nil.
    /// - Throws: ``HubError/notAStartingKit(_:)`` when `kit` lacks `problem.py` or
    ///   `submissions/starting_kit/`; ``HubError/preparationFailed(_:)`` with the kit's
    ///   problem (X of a kind Forkboard cannot rebuild, a target that is none of the labels,
    ///   ...); as ``HubSetup/createHub(at:template:share:python:now:preparationEnvironment:extraRequirements:)``.
    public static func createHub(
        at home: URL, kit: URL, share: URL, python: String?, constraints: URL? = nil,
        now: Date = Date()
    ) async throws -> Hub {
        let fileManager = FileManager.default
        let startingKit = kit.appendingPathComponent("submissions/starting_kit")
        guard fileManager.fileExists(atPath: kit.appendingPathComponent("problem.py").path),
            fileManager.fileExists(atPath: startingKit.path)
        else {
            throw HubError.notAStartingKit("\(kit.path) (a RAMP kit has problem.py and submissions/starting_kit/)")
        }
        let staging = fileManager.temporaryDirectory.appendingPathComponent("forkboard-ramp-\(UUID().uuidString.prefix(8))")
            .appendingPathComponent(kit.lastPathComponent)
        defer { try? fileManager.removeItem(at: staging.deletingLastPathComponent()) }
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        let ramp = share.appendingPathComponent("ramp")
        try fileManager.copyItem(at: ramp.appendingPathComponent("harness"), to: staging.appendingPathComponent("harness"))
        try fileManager.copyItem(at: ramp.appendingPathComponent("prepare_kit.py"), to: staging.appendingPathComponent("prepare_data.py"))
        // The kit's Python modules (problem.py and what it imports beside it), as published: for
        // the harness, and for the score program that runs the kit's own score types.
        let scoring = staging.appendingPathComponent("scoring")
        for modules in [staging.appendingPathComponent("harness/kit"), scoring.appendingPathComponent("kit")] {
            try fileManager.createDirectory(at: modules, withIntermediateDirectories: true)
            for name in try fileManager.contentsOfDirectory(atPath: kit.path).sorted() where name.hasSuffix(".py") {
                try fileManager.copyItem(at: kit.appendingPathComponent(name), to: modules.appendingPathComponent(name))
            }
        }
        try fileManager.copyItem(at: ramp.appendingPathComponent("score_type.py"), to: scoring.appendingPathComponent("score_type.py"))
        // The score program rebuilds y as the harness does, with the harness's own code.
        try fileManager.copyItem(
            at: ramp.appendingPathComponent("harness/forkboard_ramp_data.py"),
            to: scoring.appendingPathComponent("forkboard_ramp_data.py"))
        try fileManager.copyItem(at: startingKit, to: staging.appendingPathComponent("starting-kit"))
        let readme = """
            # \(kit.lastPathComponent): starting kit

            The starting kit of the RAMP kit `\(kit.lastPathComponent)`, as Forkboard runs it: your files are those of
            the kit's `submissions/<name>/` (here, its `starting_kit`), trained and tested with the kit's own workflow
            on the kit's cross-validation folds. `data/train.csv` holds the public training rows, with a
            `forkboard_id` and a `forkboard_target` column added. Edit, commit, tag `submission-<name>` and push.

            """
        try Data(readme.utf8).write(to: staging.appendingPathComponent("starting-kit/FORKBOARD.md"))
        var requirements = (try? String(contentsOf: kit.appendingPathComponent("requirements.txt"), encoding: .utf8)) ?? ""
        if !requirements.lowercased().contains("ramp-workflow") {
            requirements += (requirements.isEmpty || requirements.hasSuffix("\n") ? "" : "\n") + "ramp-workflow\n"
        }
        try Data(requirements.utf8).write(to: staging.appendingPathComponent("requirements.txt"))
        return try await HubSetup.createHub(
            at: home, template: staging, share: share, python: python, now: now,
            preparationEnvironment: ["FORKBOARD_RAMP_KIT": kit.standardizedFileURL.path, "FORKBOARD_RAMP_TEMPLATE": staging.path],
            extraRequirements: constraints)
    }
}
