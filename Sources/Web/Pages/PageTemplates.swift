import Foundation
import Hummingbird
import Mustache

/// The HTML pages' templates: the `.mustache` files of `Sources/Web/Templates` (a resource of
/// this module), loaded once; `head` and `foot` are the partials every page includes.
struct PageTemplates: Sendable {
    let library: MustacheLibrary

    /// Loads every template.
    /// - Throws: ``Missing`` when the resource directory is not beside the executable; a
    ///   swift-mustache error when a template does not compile.
    init() throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else { throw Missing() }
        var library = MustacheLibrary()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
    }

    /// The page `name` rendered with `context`.
    func render(_ name: String, _ context: [String: Any]) -> ByteBuffer {
        ByteBuffer(string: library.render(context, withTemplate: name) ?? "template \(name) missing")
    }

    /// An HTML response.
    static func html(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: body))
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "the web pages' templates (Templates/ in the Web module's resources) are missing" }
    }
}

/// Formats of numbers on pages.
enum PageFormat {
    static func score(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "" }
    static func seconds(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "" }
    static func mebibytes(_ bytes: Int?) -> String { bytes.map { String(format: "%.0f", Double($0) / 1_048_576) } ?? "" }
    static func percent(_ value: Double?) -> String { value.map { "\(Int(($0 * 100).rounded()))%" } ?? "" }

    /// The CSS class of a state: scored, an error, or nothing.
    static func stateClass(_ state: String) -> String {
        state == "scored" ? "state-scored" : state.hasSuffix("_error") ? "state-error" : ""
    }

    /// `text` escaped for XML and HTML text and attributes (what the SVG pictures hold).
    static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `/submissions/TEAM/NAME`, percent-encoded.
    static func submissionLink(_ team: String, _ name: String) -> String {
        "/submissions/\(pathComponent(team))/\(pathComponent(name))"
    }

    /// `text` percent-encoded as one segment of a URL's path (a slash included).
    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }

    /// The opening of a server-drawn picture: the `svg` element of `width` × `height` pixels,
    /// its `title` (escaped), and a white background.
    static func svgHeader(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\" role=\"img\">\n"
            + "<title>\(xmlEscaped(title))</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    }
}
