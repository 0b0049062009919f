import Foundation
import Host
import Testing
import Evaluation

/// Programs are found on the PATH, and a missing one is named with its package.
struct ExecutablesTests {
    @Test func programsAreFoundOnThePath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("executables-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("git"), withIntermediateDirectories: true)
        let tool = directory.appendingPathComponent("tool")
        try Data("#!/bin/sh\n".utf8).write(to: tool)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        // A directory named git is not git; the next directory of the PATH has it.
        let path = "\(directory.path):/usr/bin:/bin"
        #expect(try Executables.locate("tool", environment: ["PATH": path]) == tool.path)
        #expect(try Executables.locate("git", environment: ["PATH": path]).hasSuffix("/bin/git"))
        #expect(try Executables.locate(tool.path, environment: [:]) == tool.path)
    }

    @Test func aMissingProgramNamesItsPackage() {
        #expect {
            try Executables.locate("bwrap", environment: ["PATH": "/nonexistent"])
        } throws: { error in
            "\(error)" == "bwrap was not found on PATH (/nonexistent): install it (Debian and Ubuntu: apt-get install bubblewrap)"
        }
        #expect {
            try Executables.locate("Rscript", environment: ["PATH": "/nonexistent:/also-missing"])
        } throws: { error in
            "\(error)".hasSuffix("apt-get install r-base-core)")
        }
    }
}
