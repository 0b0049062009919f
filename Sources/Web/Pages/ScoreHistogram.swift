import Foundation

/// How the official scores of the scored submissions are spread, phase by phase, as an SVG
/// drawn by the server: the score range cut into equal bins, one bar per phase in each bin
/// (coloured by phase, with a legend), the number of submissions on the vertical axis.
struct ScoreHistogram: Sendable {
    /// One phase's scores.
    struct Series: Sendable, Equatable {
        let phase: String
        let scores: [Double]
    }

    let series: [Series]
    let scoreName: String
    let binCount: Int

    static let width = 720.0
    static let height = 300.0
    static let margin = (left: 50.0, right: 20.0, top: 30.0, bottom: 50.0)
    static let colours = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1"]

    /// The lower edge of the first bin, the bins' width, and each series' count per bin.
    var bins: (low: Double, width: Double, counts: [[Int]]) {
        let all = series.flatMap(\.scores)
        guard let lowest = all.min(), let highest = all.max() else { return (0, 1, series.map { _ in Array(repeating: 0, count: binCount) }) }
        let width = highest > lowest ? (highest - lowest) / Double(binCount) : 1
        let counts = series.map { one -> [Int] in
            var counts = Array(repeating: 0, count: binCount)
            for score in one.scores { counts[min(binCount - 1, Int((score - lowest) / width))] += 1 }
            return counts
        }
        return (lowest, width, counts)
    }

    func svg() -> String {
        let (width, height, margin) = (Self.width, Self.height, Self.margin)
        var out = PageFormat.svgHeader(width: width, height: height, title: "How the submissions' \(scoreName) is spread, by phase")
        let (low, binWidth, counts) = bins
        let tallest = max(1, counts.flatMap { $0 }.max() ?? 0)
        guard series.contains(where: { !$0.scores.isEmpty }) else {
            return out + "<text x=\"\(width / 2)\" y=\"\(height / 2)\" text-anchor=\"middle\">No scored submission yet</text>\n</svg>\n"
        }
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        let slot = plotWidth / Double(binCount)
        let bar = slot * 0.8 / Double(max(1, series.count))
        let format = { (value: Double) in String(format: "%.1f", value) }
        let bottom = margin.top + plotHeight
        out +=
            "<line x1=\"\(format(margin.left))\" y1=\"\(format(bottom))\" x2=\"\(format(margin.left + plotWidth))\" y2=\"\(format(bottom))\" stroke=\"#333\"/>\n"
        out +=
            "<line x1=\"\(format(margin.left))\" y1=\"\(format(margin.top))\" x2=\"\(format(margin.left))\" y2=\"\(format(bottom))\" stroke=\"#333\"/>\n"
        for tick in 0...4 {
            let count = Double(tallest) * Double(tick) / 4
            let y = bottom - count / Double(tallest) * plotHeight
            out +=
                "<text x=\"\(format(margin.left - 6))\" y=\"\(format(y + 4))\" text-anchor=\"end\">\(String(format: count == count.rounded() ? "%.0f" : "%.1f", count))</text>\n"
        }
        for edge in stride(from: 0, through: binCount, by: max(1, binCount / 5)) {
            let x = margin.left + Double(edge) * slot
            out +=
                "<text x=\"\(format(x))\" y=\"\(format(bottom + 16))\" text-anchor=\"middle\">\(String(format: "%.4f", low + Double(edge) * binWidth))</text>\n"
        }
        out += "<text x=\"\(format(margin.left + plotWidth / 2))\" y=\"\(format(height - 8))\" text-anchor=\"middle\">\(escaped(scoreName))</text>\n"
        out += "<text transform=\"translate(14 \(format(margin.top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">submissions</text>\n"
        for (index, one) in series.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            for (bin, count) in counts[index].enumerated() where count > 0 {
                let x = margin.left + Double(bin) * slot + slot * 0.1 + Double(index) * bar
                let barHeight = Double(count) / Double(tallest) * plotHeight
                out +=
                    "<rect class=\"bar\" data-phase=\"\(escaped(one.phase))\" x=\"\(format(x))\" y=\"\(format(bottom - barHeight))\" width=\"\(format(bar))\" height=\"\(format(barHeight))\" fill=\"\(colour)\">"
                    + "<title>\(escaped(one.phase)): \(count)</title></rect>\n"
            }
            let legendX = margin.left + 10 + Double(index) * 140
            out +=
                "<rect x=\"\(format(legendX))\" y=\"8\" width=\"10\" height=\"10\" fill=\"\(colour)\"/><text x=\"\(format(legendX + 14))\" y=\"17\">\(escaped(one.phase)) (\(one.scores.count))</text>\n"
        }
        return out + "</svg>\n"
    }

    private func escaped(_ text: String) -> String { PageFormat.xmlEscaped(text) }
}
