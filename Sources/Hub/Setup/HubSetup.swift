import Challenge
import Evaluation
import Foundation
import Git
import Host
import Ledger
import Subprocess
import SystemPackage

/// Creates hub homes from templates, and teams in a hub.
public enum HubSetup {
    /// The author of the organisers' commits.
    public static let organisers = Signature(name: "Forkboard organisers", email: "organisers@forkboard.invalid")

    /// Creates a hub home at `home` from the template `templateName` found in
    /// `<share>/templates/`: copies challenge.yaml, the harness and the starting kit, runs the
    /// template's `prepare_data.py` with `python`, copies the public training data into the
    /// starting kit, installs the hooks from `<share>/hooks/`, creates the ledger (database and
    /// repository) and commits the starting kit as the organisers' first commit on `main`.
    /// - Parameters:
    ///   - python: the interpreter submissions run with (a virtual environment's python with
    ///     the template's requirements), or nil to build one in the hub
    ///     (``Host/HubHome/builtRuntime``) from the template's `requirements.txt`, with
    ///     pip's progress shown; its prefixes are recorded in challenge.yaml as the sandbox's
    ///     runtime, and its packages in the audit log (`runtime.recorded`).
    /// - Throws: ``HubError`` when `home` is not empty, the template is missing or the data
    ///   preparation fails; ``RuntimeBuilder/Failure`` or ``Executables/Missing`` when the
    ///   runtime cannot be built or found; Foundation, Git or database errors otherwise.
    public static func createHub(at home: URL, templateName: String, share: URL, python given: String?, now: Date = Date()) async throws -> Hub {
        try await createHub(at: home, template: try templateDirectory(templateName, share: share), share: share, python: given, now: now)
    }

    /// The directory of template `name`: a path when it holds a `/`, else `<share>/templates/<name>`.
    /// - Throws: ``HubError/templateNotFound(name:searched:)`` for a name that no template has.
    public static func templateDirectory(_ name: String, share: URL) throws -> URL {
        if name.contains("/") { return URL(fileURLWithPath: name).standardizedFileURL }
        let template = share.appendingPathComponent("templates").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: template.appendingPathComponent("challenge.yaml").path) else {
            let available = ((try? FileManager.default.contentsOfDirectory(atPath: share.appendingPathComponent("templates").path)) ?? []).sorted()
            throw HubError.templateNotFound(
                name: name, searched: share.appendingPathComponent("templates").path + " (available: \(available.joined(separator: ", ")))")
        }
        return template
    }

    /// Creates a hub home at `home` from the template directory `template` (challenge.yaml,
    /// `harness/`, `starting-kit/`, and optionally `prepare_data.py` and `requirements.txt`),
    /// as ``createHub(at:templateName:share:python:now:)`` does. `prepare_data.py` runs before
    /// challenge.yaml is read, with `preparationEnvironment` added to its environment (it may
    /// write challenge.yaml itself).
    /// A failure after `home` was made leaves nothing behind: what was created is removed.
    /// `extraRequirements` (a file of requirement lines, `init --constraints`) is added to the
    /// template's requirements.txt, so that organisers pin or add packages without editing
    /// the template or kit.
    public static func createHub(
        at home: URL, template: URL, share: URL, python given: String?, now: Date = Date(),
        preparationEnvironment: [String: String] = [:], extraRequirements: URL? = nil
    ) async throws -> Hub {
        let fileManager = FileManager.default
        if let contents = try? fileManager.contentsOfDirectory(atPath: home.path), !contents.isEmpty {
            throw HubError.alreadyExists(home.path)
        }
        let existed = fileManager.fileExists(atPath: home.path)
        do {
            return try await makeHub(
                at: home, template: template, share: share, python: given, now: now,
                preparationEnvironment: preparationEnvironment, extraRequirements: extraRequirements)
        } catch {
            if existed {
                for name in (try? fileManager.contentsOfDirectory(atPath: home.path)) ?? [] {
                    try? fileManager.removeItem(at: home.appendingPathComponent(name))
                }
            } else {
                try? fileManager.removeItem(at: home)
            }
            throw error
        }
    }

    private static func makeHub(
        at home: URL, template: URL, share: URL, python given: String?, now: Date,
        preparationEnvironment: [String: String], extraRequirements: URL?
    ) async throws -> Hub {
        let fileManager = FileManager.default
        let templateName = template.lastPathComponent
        let missing = ["harness", "starting-kit"].filter { !fileManager.fileExists(atPath: template.appendingPathComponent($0).path) }
        if !missing.isEmpty {
            throw HubError.notATemplate("\(template.path) lacks \(missing.joined(separator: " and "))")
        }
        try fileManager.createDirectory(at: home, withIntermediateDirectories: true)
        for directory in ["harness", "starting-kit"] {
            try fileManager.copyItem(at: template.appendingPathComponent(directory), to: home.appendingPathComponent(directory))
        }
        // The organisers' score programs, when the template has some.
        if fileManager.fileExists(atPath: template.appendingPathComponent("scoring").path) {
            try fileManager.copyItem(at: template.appendingPathComponent("scoring"), to: HubHome(home).scoring)
        }
        for directory in HubHome(home).directoriesMadeAtInit {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        for hook in ["pre-receive", "post-receive", "forkboard-hook.bash"] {
            let target = HubHome(home).hooks.appendingPathComponent(hook)
            try fileManager.copyItem(at: share.appendingPathComponent("hooks").appendingPathComponent(hook), to: target)
            try fileManager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target.path)
        }
        var requirements = template.appendingPathComponent("requirements.txt")
        if fileManager.fileExists(atPath: requirements.path) || extraRequirements != nil {
            var text = (try? String(contentsOf: requirements, encoding: .utf8)) ?? ""
            if let extraRequirements {
                let added: String
                do {
                    added = try String(contentsOf: extraRequirements, encoding: .utf8)
                } catch {
                    throw HubError.preparationFailed("the constraints file \(extraRequirements.path) cannot be read (\(error.localizedDescription))")
                }
                text +=
                    (text.isEmpty || text.hasSuffix("\n") ? "" : "\n")
                    + "# Added by the organisers (init --constraints \(extraRequirements.lastPathComponent)):\n"
                    + added + (added.hasSuffix("\n") ? "" : "\n")
            }
            requirements = HubHome(home).requirements
            try text.write(to: requirements, atomically: true, encoding: .utf8)
        }
        let python: String
        if let given {
            python = try Executables.locate(given)
        } else {
            guard fileManager.fileExists(atPath: requirements.path) else {
                throw HubError.preparationFailed("template '\(templateName)' has no requirements.txt to build its runtime from: pass --python")
            }
            let directory = HubHome(home).builtRuntime
            // Unbuffered: pip writes to the same standard output next.
            FileHandle.standardOutput.write(
                Data("Building the challenge's Python runtime in \(directory.path) from requirements.txt (pip's output follows)\n".utf8))
            python = try await RuntimeBuilder.buildPython(requirements: requirements, into: directory, showProgress: true)
        }
        try await prepareData(template: template, home: home, python: python, environment: preparationEnvironment)
        let probed = try await RuntimeProbe.probe(python: python)
        let templateFile = template.appendingPathComponent("challenge.yaml")
        let resolved = Instant.resolveRelative(in: try String(contentsOf: templateFile, encoding: .utf8), initTime: now)
        // The template's own runtime paths (a language's system files) join the interpreter's.
        let templatePaths = try ChallengeConfiguration.parse(resolved, file: templateFile.path).runtime?.readOnlyPaths ?? []
        let runtime = RuntimeProbe.Result(binDirectory: probed.binDirectory, readOnlyPaths: probed.readOnlyPaths + templatePaths)
        try HubRuntime.replacingRuntimeSection(of: resolved + "\n", with: runtime.yaml)
            .write(to: HubHome(home).configurationFile, atomically: true, encoding: .utf8)

        let hub = try Hub(home: home)
        try checkData(of: hub)
        try addLocalEvaluationFiles(hub: hub, configuration: resolved)
        let ledgerRepository = try Repository.createBare(at: hub.paths.ledgerRepository.path)
        let tree = try ledgerRepository.writeTree(fromDirectory: hub.paths.startingKit)
        _ = try ledgerRepository.createCommit(
            tree: tree, parents: [], message: "Starting kit of \(hub.challenge.title)\n",
            signature: Signature(name: organisers.name, email: organisers.email, time: now),
            reference: "refs/heads/main")
        try ledgerRepository.setHead("refs/heads/main")
        try OpenCommons(hub: hub).ensureRepository()
        let recorded = await HubRuntime.describe(hub: hub)
        try hub.ledger.audit(
            "runtime.recorded", actor: "organisers",
            detail: [
                "interpreter": .text(recorded.interpreter), "bin": .text(runtime.binDirectory),
                "packages": .list(recorded.packages.map(AuditValue.text)),
            ], at: now)
        return hub
    }

    /// Reads every question's data as `challenge check` does (objects, tables, per-object
    /// files), so that a hub is never made on data that cannot be cut.
    /// - Throws: ``HubError/preparationFailed(_:)`` naming the question, the file, the line and
    ///   what to do.
    private static func checkData(of hub: Hub) throws {
        for question in hub.challenge.questions {
            do {
                _ = try DataScan.check(try QuestionData.load(files: .hub(home: hub.home, question: question), question: question))
            } catch {
                throw HubError.preparationFailed("the data of question \(question.name): \(error)")
            }
        }
    }

    /// Gives the starting kit what `forkboard evaluate` needs on a participant's machine: each
    /// question's public training rows (at `data.starting_kit`), and in `.forkboard/` the
    /// template's challenge.yaml (no runtime, no private paths used) and the harness.
    private static func addLocalEvaluationFiles(hub: Hub, configuration: String) throws {
        let fileManager = FileManager.default
        let kit = hub.paths.startingKit
        for question in hub.challenge.questions {
            for copy in question.startingKitCopies {
                let target = kit.appendingPathComponent(copy.kitPath)
                try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? fileManager.removeItem(at: target)
                try fileManager.copyItem(at: hub.home.appendingPathComponent(copy.hubPath), to: target)
            }
            // Explicit folds are read beside the training objects, in the kit as in the hub.
            if let folds = question.folds.file, let objects = question.startingKitCopies.first {
                let source = hub.home.appendingPathComponent(objects.hubPath).deletingLastPathComponent().appendingPathComponent(folds)
                let copy = kit.appendingPathComponent(objects.kitPath).deletingLastPathComponent().appendingPathComponent(folds)
                try? fileManager.removeItem(at: copy)
                try fileManager.copyItem(at: source, to: copy)
            }
        }
        let local = kit.appendingPathComponent(LocalEvaluation.directoryName)
        try fileManager.createDirectory(at: local, withIntermediateDirectories: true)
        try configuration.write(to: local.appendingPathComponent("challenge.yaml"), atomically: true, encoding: .utf8)
        try fileManager.copyItem(at: hub.paths.harness, to: local.appendingPathComponent("harness"))
        let requirements = hub.paths.requirements
        if fileManager.fileExists(atPath: requirements.path) {
            try fileManager.copyItem(at: requirements, to: local.appendingPathComponent("requirements.txt"))
        }
    }

    private static func prepareData(template: URL, home: URL, python: String, environment: [String: String]) async throws {
        let script = template.appendingPathComponent("prepare_data.py")
        guard FileManager.default.fileExists(atPath: script.path) else { return }
        let result = try await Subprocess.run(
            .path(FilePath(python)),
            arguments: [script.path, HubHome(home).data.path],
            environment: .inherit.updating(Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) })),
            output: .string(limit: 1 << 20),
            error: .string(limit: 1 << 20))
        guard result.terminationStatus.isSuccess else {
            let error = result.standardError
            let hint =
                error.contains("ModuleNotFoundError") || error.contains("ImportError")
                ? "\n\(python) lacks the template's packages: install its requirements.txt into it (pip install -r), or leave --python and FORKBOARD_PYTHON out and init builds a runtime with them"
                : ""
            throw HubError.preparationFailed("\(script.path) \(result.terminationStatus): \(error)\(hint)")
        }
    }

    /// Creates team `name` with one member `login`: its bare repository (hooks installed,
    /// starting with the starting-kit commit on `main`) and the member's token, returned once.
    /// - Throws: ``TeamError`` for invalid or taken names; Git errors.
    public static func addTeam(_ name: String, member login: String, to hub: Hub, by actor: String = "hub") throws -> String {
        // The team and its member are recorded together (a refused login leaves no team), then
        // its repository is made.
        let token = try hub.ledger.addTeam(name, member: login, by: actor)
        let repository = try Repository.createBare(at: hub.paths.teamRepository(name).path)
        try configureTeamRepository(repository, hub: hub)
        try repository.fetch(fromRepositoryAt: hub.paths.ledgerRepository.path, refspecs: ["refs/heads/main:refs/heads/main"])
        try repository.setHead("refs/heads/main")
        return token
    }

    /// Sets a team repository's configuration: the hub's hooks, advertised push options,
    /// object checks on receive, and no rewriting of history on the main branch. Pushes from
    /// shallow clones reach pre-receive as such (`receive.shallowUpdate`, which makes git tell
    /// hooks with `GIT_SHALLOW_FILE`), and pre-receive refuses them with what to do: without
    /// it, git refuses them itself after pre-receive accepted them, saying only "shallow
    /// update not allowed".
    static func configureTeamRepository(_ repository: Repository, hub: Hub) throws {
        try repository.setConfiguration("receive.shallowUpdate", to: "true")
        try repository.setConfiguration("core.hooksPath", to: hub.paths.hooks.path)
        try repository.setConfiguration("receive.advertisePushOptions", to: "true")
        try repository.setConfiguration("receive.fsckObjects", to: "true")
        try repository.setConfiguration("http.receivepack", to: "true")
        try repository.setConfiguration("uploadpack.allowAnySHA1InWant", to: "false")
    }
}
