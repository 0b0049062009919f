import Foundation
import Host
import Hub
import Ledger
import Subprocess
import SystemPackage

/// The lineage of ideas as a picture: every submission a node (coloured by team, sized by its
/// contributivity, linked to its page), an edge from each submission to the nearest
/// submissions in its commit history (the lineage's transitive reduction), laid out by
/// Graphviz `dot` as SVG.
enum LineageGraph {
    struct Node: Sendable, Equatable {
        let id: Int64
        let key: SubmissionKey
        var team: String { key.team }
        /// Contributivity on the first question, in [0, 1]; nil when not computed.
        let contributivity: Double?
    }

    /// The nearest ancestors of each submission: ancestors that are not ancestors of another
    /// of its ancestors. `edges` is the lineage table (submission, ancestor), transitive.
    static func parents(edges: [(submission: Int64, ancestor: Int64)]) -> [Int64: [Int64]] {
        var ancestors: [Int64: Set<Int64>] = [:]
        for edge in edges { ancestors[edge.submission, default: []].insert(edge.ancestor) }
        var parents: [Int64: [Int64]] = [:]
        for (submission, all) in ancestors {
            parents[submission] = all.filter { candidate in
                !all.contains { other in other != candidate && ancestors[other]?.contains(candidate) == true }
            }.sorted()
        }
        return parents
    }

    /// Colours for teams, in the order of their names (Tableau 10, readable on white).
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    /// The graph in Graphviz's DOT language.
    static func dot(nodes: [Node], parents: [Int64: [Int64]]) -> String {
        let teams = Array(Set(nodes.map(\.team))).sorted()
        let colour = Dictionary(uniqueKeysWithValues: teams.enumerated().map { ($1, palette[$0 % palette.count]) })
        var text = """
            digraph lineage {
              rankdir=LR;
              node [shape=ellipse, style=filled, fontname="Helvetica", fontsize=10, fontcolor="#1d1d1f"];
              edge [color="#888888", arrowsize=0.7];

            """
        for node in nodes {
            let size = 0.4 + 1.2 * (node.contributivity ?? 0).squareRoot()
            let label = "\(node.key)" + (node.contributivity.map { String(format: "\\n%.0f%%", $0 * 100) } ?? "")
            text +=
                "  s\(node.id) [label=\"\(escaped(label))\", fillcolor=\"\(colour[node.team] ?? "#dddddd")\", "
                + "width=\(String(format: "%.2f", size)), height=\(String(format: "%.2f", size * 0.6)), "
                + "URL=\"\(escaped(PageFormat.submissionLink(node.key.team, node.key.name)))\", target=\"_top\", "
                + "tooltip=\"\(escaped("\(node.key)"))\"];\n"
        }
        let known = Set(nodes.map(\.id))
        for (submission, ancestors) in parents.sorted(by: { $0.key < $1.key }) where known.contains(submission) {
            for ancestor in ancestors where known.contains(ancestor) { text += "  s\(ancestor) -> s\(submission);\n" }
        }
        return text + "}\n"
    }

    /// DOT's quoted-string escapes; `\n` (a backslash then n) is kept as DOT's line break.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: " ")
    }

    /// The hub's lineage graph as SVG.
    /// - Throws: ``Evaluation/Executables/Missing`` without Graphviz; a `GraphError` when dot
    ///   fails; database errors.
    static func svg(hub: Hub) async throws -> String {
        let dotProgram = try Executables.locate("dot")
        let (nodes, parents) = try await collect(hub: hub)
        let text = dot(nodes: nodes, parents: parents)
        let result = try await Subprocess.run(
            .path(FilePath(dotProgram)), arguments: ["-Tsvg"], input: .string(text),
            output: .string(limit: 64 << 20), error: .string(limit: 1 << 16))
        guard result.terminationStatus.isSuccess else { throw GraphError(description: "dot failed: \(result.standardError)") }
        return result.standardOutput
    }

    /// Every submission, with its contributivity on the first question, and each one's nearest
    /// ancestors.
    /// - Throws: database errors.
    static func collect(hub: Hub) async throws -> (nodes: [Node], parents: [Int64: [Int64]]) {
        let ledger = hub.ledger
        let (submissions, edges) = try await BlockingWork.run { (try ledger.submissionIdentities(), try ledger.lineageEdges()) }
        let leaderboard = try await Leaderboard.make(hub: hub, options: Leaderboard.Options())
        var contributivity: [SubmissionKey: Double] = [:]
        for row in leaderboard.rows { contributivity[SubmissionKey(team: row.team, name: row.submission)] = row.contributivity }
        let nodes = submissions.map { Node(id: $0.id, key: $0.key, contributivity: contributivity[$0.key]) }
        return (nodes, parents(edges: edges))
    }

    struct GraphError: Error, CustomStringConvertible {
        let description: String
    }
}
