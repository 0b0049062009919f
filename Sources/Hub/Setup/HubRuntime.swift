import Challenge
import Evaluation
import Foundation
import Host
import Ledger
import Subprocess
import SystemPackage

/// The runtime a hub's submissions run with, as challenge.yaml's `runtime:` section records
/// it, and its rebuild from the hub's `requirements.txt`.
public enum HubRuntime {
    /// What `forkboard runtime show` prints.
    public struct Description: Sendable {
        /// The interpreter's `bin` directory, first on the sandbox's PATH.
        public let binDirectory: String
        /// Host directories bound read-only in the sandbox.
        public let readOnlyPaths: [String]
        /// Whether the hub built it (under ``Host/HubHome/builtRuntime``).
        public let builtByHub: Bool
        /// `python --version`, and `pip freeze --all` one `name==version` per entry.
        public let interpreter: String
        public let packages: [String]
        /// For a challenge run with `Rscript`: R's version and packages.
        public let rVersion: String?
        public let rPackages: [String]?
    }

    /// The runtime in force, as its interpreters say (`python --version`, `pip freeze --all`,
    /// and for a challenge whose commands run `Rscript`, R's version and packages); a runtime
    /// that cannot run gives empty fields. Reads no data file.
    public static func describe(hub: Hub) async -> Description {
        let runtime = hub.challenge.runtime
        let python = (runtime?.binDirectory ?? "/usr/bin") + "/python"
        let version = await output(python, ["--version"])
        let freeze = await output(python, ["-m", "pip", "freeze", "--all"])
        var rVersion: String?
        var rPackages: [String]?
        let commands = hub.challenge.questions.flatMap { [$0.trainCommand.first, $0.predictCommand.first] }
        if commands.contains("Rscript"), let rscript = try? Executables.locate("Rscript") {
            rVersion = await output(rscript, ["--version"], includingErrors: true)
            rPackages = await output(
                rscript, ["-e", #"ip <- installed.packages()[, c("Package", "Version")]; cat(paste0(ip[, 1], "==", ip[, 2]), sep = "\n")"#]
            )
            .split(separator: "\n").map(String.init).sorted()
        }
        let builtRoot = hub.paths.builtRuntime.path
        return Description(
            binDirectory: runtime?.binDirectory ?? "(none: the machine's /usr/bin)", readOnlyPaths: runtime?.readOnlyPaths ?? [],
            builtByHub: runtime?.binDirectory.hasPrefix(builtRoot) ?? false,
            interpreter: version, packages: freeze.split(separator: "\n").map(String.init).sorted(),
            rVersion: rVersion, rPackages: rPackages)
    }

    /// What `executable` prints (trimmed), or "" when it cannot run.
    private static func output(_ executable: String, _ arguments: [String], includingErrors: Bool = false) async -> String {
        let result = try? await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments),
            output: .string(limit: 1 << 20), error: .string(limit: 1 << 16))
        let text = (result?.standardOutput ?? "") + (includingErrors ? result?.standardError ?? "" : "")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Builds a new runtime from the hub's `requirements.txt` in a new directory beside the
    /// hub's runtime (`runtime/python-<UTC time>`), writes it into challenge.yaml's `runtime:`
    /// section and applies the file (``Hub/reloadConfiguration(by:)``), with an audit entry
    /// `runtime.rebuilt` holding its packages. The previous runtime's directory is kept (a
    /// process may still be starting an evaluation with it); organisers may delete it.
    /// - Throws: ``HubError/runtimeRebuildBlocked(_:)`` while evaluations run, or when
    ///   challenge.yaml has changes that are not applied (nothing is changed then);
    ///   ``HubError/configurationChangeBlocked(_:)`` when evaluations started meanwhile;
    ///   ``RuntimeBuilder/Failure`` or ``Executables/Missing`` from the build.
    public static func rebuild(hub: Hub, by actor: String, showProgress: Bool) async throws -> Description {
        guard try hub.configurationFileIsApplied() else {
            throw HubError.runtimeRebuildBlocked(
                "challenge.yaml has changes that are not applied: apply them first ('forkboard challenge reload') or undo them")
        }
        let requirements = hub.paths.requirements
        guard FileManager.default.fileExists(atPath: requirements.path) else {
            throw HubError.preparationFailed("\(requirements.path) is missing: write the challenge's Python requirements there")
        }
        let running = try hub.ledger.runningEvaluations().count
        guard running == 0 else {
            throw HubError.runtimeRebuildBlocked(
                "\(running) evaluation(s) are running: wait until they finish ('forkboard submissions') or stop them ('forkboard cancel TEAM/NAME'), then rebuild"
            )
        }
        let stamp = Instant.format(Date()).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let directory = URL(fileURLWithPath: hub.paths.builtRuntime.path + "-" + stamp)
        let python = try await RuntimeBuilder.buildPython(requirements: requirements, into: directory, showProgress: showProgress)
        let probed = try await RuntimeProbe.probe(python: python)
        // The template's own paths (a language's system files), as the kit's copy keeps them.
        let templateFile = hub.paths.startingKit.appendingPathComponent(LocalEvaluation.directoryName).appendingPathComponent("challenge.yaml")
        let templatePaths = (try? ChallengeConfiguration.load(from: templateFile))?.runtime?.readOnlyPaths ?? []
        let runtime = RuntimeProbe.Result(binDirectory: probed.binDirectory, readOnlyPaths: probed.readOnlyPaths + templatePaths)
        let original = try String(contentsOf: hub.paths.configurationFile, encoding: .utf8)
        try replacingRuntimeSection(of: original, with: runtime.yaml).write(to: hub.paths.configurationFile, atomically: true, encoding: .utf8)
        do {
            _ = try hub.reloadConfiguration(by: actor)
        } catch {
            try original.write(to: hub.paths.configurationFile, atomically: true, encoding: .utf8)
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        let description = await describe(hub: hub)
        try hub.ledger.audit(
            "runtime.rebuilt", actor: actor,
            detail: [
                "interpreter": .text(description.interpreter), "bin": .text(description.binDirectory),
                "packages": .list(description.packages.map(AuditValue.text)),
            ])
        return description
    }

    /// `text` (challenge.yaml) with its top-level `runtime:` section, and the comment line
    /// just above it, replaced by `section`; `section` appended when there is none.
    static func replacingRuntimeSection(of text: String, with section: String) -> String {
        var lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("runtime:") }) else {
            return text + (text.hasSuffix("\n") ? "" : "\n") + section
        }
        var end = start + 1
        while end < lines.count, lines[end].hasPrefix(" ") || lines[end].hasPrefix("\t") { end += 1 }
        let first = start > 0 && lines[start - 1].hasPrefix("# The interpreter submissions run with") ? start - 1 : start
        let replacement = section.components(separatedBy: "\n").dropLast(section.hasSuffix("\n") ? 1 : 0)
        lines.replaceSubrange(first..<end, with: replacement)
        return lines.joined(separator: "\n")
    }
}
