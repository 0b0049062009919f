import Testing
@testable import Hub

/// The runtime section of challenge.yaml is replaced in place by a rebuild.
struct HubRuntimeTests {
    static let section =
        "# The interpreter submissions run with, found by 'forkboard init'.\nruntime:\n  bin: /new/bin\n  read_only_paths:\n    - /new\n"

    @Test func theRuntimeSectionIsReplacedAndEverythingElseKept() {
        let text = """
            title: Breast cancer
            limits:
              wall_seconds: 300

            # The interpreter submissions run with, found by 'forkboard init'.
            runtime:
              bin: /old/bin
              read_only_paths:
                - /old
            phases: []

            """
        let replaced = HubRuntime.replacingRuntimeSection(of: text, with: Self.section)
        #expect(
            replaced == """
                title: Breast cancer
                limits:
                  wall_seconds: 300

                # The interpreter submissions run with, found by 'forkboard init'.
                runtime:
                  bin: /new/bin
                  read_only_paths:
                    - /new
                phases: []

                """)
    }

    @Test func aFileWithoutARuntimeSectionGetsOne() {
        #expect(HubRuntime.replacingRuntimeSection(of: "title: T", with: Self.section) == "title: T\n" + Self.section)
    }
}
