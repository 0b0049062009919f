import Challenge
import Foundation
import Subprocess
import SystemPackage

/// Finds what a Python interpreter needs inside the sandbox: its `bin` directory and the
/// prefixes (virtual environment and base installation) to bind read-only.
enum RuntimeProbe {
    struct Result {
        let binDirectory: String
        let readOnlyPaths: [String]

        var runtime: Runtime { Runtime(binDirectory: binDirectory, readOnlyPaths: readOnlyPaths) }

        /// The `runtime:` section of challenge.yaml.
        var yaml: String {
            var text = "# The interpreter submissions run with, found by 'forkboard init'.\nruntime:\n  bin: \(binDirectory)\n  read_only_paths:\n"
            for path in readOnlyPaths { text += "    - \(path)\n" }
            if readOnlyPaths.isEmpty { text = text.replacingOccurrences(of: "  read_only_paths:\n", with: "  read_only_paths: []\n") }
            return text
        }
    }

    static func probe(python: String) async throws -> Result {
        let script = "import sys, os, json; print(json.dumps([sys.prefix, sys.base_prefix, os.path.dirname(os.path.abspath(sys.executable))]))"
        let result = try await Subprocess.run(
            python.contains("/") ? .path(FilePath(python)) : .name(python),
            arguments: ["-c", script], output: .string(limit: 1 << 16), error: .string(limit: 1 << 16))
        let text = result.standardOutput
        guard result.terminationStatus.isSuccess,
            let paths = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String], paths.count == 3
        else {
            throw HubError.preparationFailed("cannot run \(python): \(result.standardError)")
        }
        var readOnly: [String] = []
        for path in paths.prefix(2) {
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            if resolved == "/usr" || resolved.hasPrefix("/usr/") || readOnly.contains(resolved) { continue }
            readOnly.append(resolved)
        }
        return Result(binDirectory: paths[2], readOnlyPaths: readOnly)
    }
}
