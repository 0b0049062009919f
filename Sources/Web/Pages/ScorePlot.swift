import Foundation

/// The official score of each scored submission against its submission time, as an SVG
/// drawn by the server: one dot per submission, the best score so far as a step line, the
/// phase boundaries as dashed vertical lines with their names, and labelled axes (UTC dates,
/// the score's name). RAMP's picture of the open phase letting participants catch up.
struct ScorePlot: Sendable {
    struct Point: Sendable, Equatable {
        let time: Date
        let score: Double
        let label: String
    }

    struct Boundary: Sendable, Equatable {
        let time: Date
        let name: String
    }

    let points: [Point]
    let boundaries: [Boundary]
    let scoreName: String
    let lowerIsBetter: Bool

    static let width = 720.0
    static let height = 360.0
    static let margin = (left: 70.0, right: 20.0, top: 20.0, bottom: 50.0)

    /// The best score so far after each point, in time order.
    var bestSoFar: [Point] {
        var best: Double?
        return points.sorted { $0.time < $1.time }.map { point in
            if let current = best {
                best = lowerIsBetter ? min(current, point.score) : max(current, point.score)
            } else {
                best = point.score
            }
            return Point(time: point.time, score: best!, label: point.label)
        }
    }

    func svg() -> String {
        let (width, height, margin) = (Self.width, Self.height, Self.margin)
        var out = PageFormat.svgHeader(width: width, height: height, title: "\(scoreName) of each submission against its submission time")
        guard !points.isEmpty else {
            return out + "<text x=\"\(width / 2)\" y=\"\(height / 2)\" text-anchor=\"middle\">No scored submission yet</text>\n</svg>\n"
        }
        let times =
            points.map(\.time.timeIntervalSince1970)
            + boundaries.map(\.time.timeIntervalSince1970).filter { time in
                (points.map(\.time.timeIntervalSince1970).min()! - 86_400...points.map(\.time.timeIntervalSince1970).max()! + 86_400).contains(time)
            }
        var (start, end) = (times.min()!, times.max()!)
        if end - start < 60 { (start, end) = (start - 30, end + 30) }
        var (low, high) = (points.map(\.score).min()!, points.map(\.score).max()!)
        if high - low < 1e-9 { (low, high) = (low - 0.5, high + 0.5) }
        let pad = (high - low) * 0.05
        (low, high) = (low - pad, high + pad)
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        let x = { (time: Date) in margin.left + (time.timeIntervalSince1970 - start) / (end - start) * plotWidth }
        let y = { (score: Double) in margin.top + (high - score) / (high - low) * plotHeight }
        let format = { (value: Double) in String(format: "%.1f", value) }
        // Axes, with 5 ticks each.
        out +=
            "<line x1=\"\(format(margin.left))\" y1=\"\(format(margin.top + plotHeight))\" x2=\"\(format(margin.left + plotWidth))\" y2=\"\(format(margin.top + plotHeight))\" stroke=\"#333\"/>\n"
        out +=
            "<line x1=\"\(format(margin.left))\" y1=\"\(format(margin.top))\" x2=\"\(format(margin.left))\" y2=\"\(format(margin.top + plotHeight))\" stroke=\"#333\"/>\n"
        let dateFormat = Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC")!)
        for tick in 0...4 {
            let value = low + (high - low) * Double(tick) / 4
            out +=
                "<text x=\"\(format(margin.left - 6))\" y=\"\(format(y(value) + 4))\" text-anchor=\"end\">\(String(format: "%.4f", value))</text>\n"
            let time = Date(timeIntervalSince1970: start + (end - start) * Double(tick) / 4)
            out +=
                "<text x=\"\(format(x(time)))\" y=\"\(format(margin.top + plotHeight + 16))\" text-anchor=\"middle\">\(escaped(time.formatted(dateFormat)))</text>\n"
        }
        out += "<text x=\"\(format(margin.left + plotWidth / 2))\" y=\"\(format(height - 8))\" text-anchor=\"middle\">submission time (UTC)</text>\n"
        out +=
            "<text transform=\"translate(14 \(format(margin.top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escaped(scoreName))\(lowerIsBetter ? " (lower is better)" : "")</text>\n"
        for boundary in boundaries where (start...end).contains(boundary.time.timeIntervalSince1970) {
            let position = format(x(boundary.time))
            out +=
                "<line class=\"phase\" x1=\"\(position)\" y1=\"\(format(margin.top))\" x2=\"\(position)\" y2=\"\(format(margin.top + plotHeight))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
            out += "<text x=\"\(position)\" y=\"\(format(margin.top - 6))\" text-anchor=\"middle\" fill=\"#555\">\(escaped(boundary.name))</text>\n"
        }
        var path = ""
        var previous: Double?
        for point in bestSoFar {
            if let previous {
                path += " L\(format(x(point.time))) \(format(y(previous)))"
            } else {
                path += "M\(format(x(point.time))) \(format(y(point.score)))"
            }
            path += " L\(format(x(point.time))) \(format(y(point.score)))"
            previous = point.score
        }
        out += "<path class=\"best\" d=\"\(path)\" fill=\"none\" stroke=\"#e15759\" stroke-width=\"2\"/>\n"
        for point in points {
            out +=
                "<circle class=\"submission\" cx=\"\(format(x(point.time)))\" cy=\"\(format(y(point.score)))\" r=\"3.5\" fill=\"#4e79a7\"><title>\(escaped(point.label)): \(String(format: "%.4f", point.score))</title></circle>\n"
        }
        return out + "</svg>\n"
    }

    private func escaped(_ text: String) -> String { PageFormat.xmlEscaped(text) }
}
