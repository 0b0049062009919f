import Foundation

/// What each evaluated submission cost, as an SVG drawn by the server: one dot per submission
/// at its CPU seconds (summed over folds and questions) and its peak memory (the largest of
/// any single run, in MiB), with labelled axes and the memory limit as a dashed line.
struct ResourcePlot: Sendable {
    struct Point: Sendable, Equatable {
        let cpuSeconds: Double
        let peakMemoryBytes: Int
        let label: String
    }

    let points: [Point]
    /// The sandbox's memory limit per run, in bytes (drawn when it fits the picture).
    let memoryLimitBytes: Int?

    static let width = 720.0
    static let height = 360.0
    static let margin = (left: 70.0, right: 20.0, top: 20.0, bottom: 50.0)

    func svg() -> String {
        let (width, height, margin) = (Self.width, Self.height, Self.margin)
        var out = PageFormat.svgHeader(width: width, height: height, title: "CPU seconds and peak memory of each evaluated submission")
        let measured = points.filter { $0.cpuSeconds > 0 || $0.peakMemoryBytes > 0 }
        guard !measured.isEmpty else {
            return out + "<text x=\"\(width / 2)\" y=\"\(height / 2)\" text-anchor=\"middle\">No measured evaluation yet</text>\n</svg>\n"
        }
        let mebibytes = { (bytes: Int) in Double(bytes) / 1_048_576 }
        let highCPU = max(measured.map(\.cpuSeconds).max()! * 1.05, 1)
        var highMemory = max(measured.map { mebibytes($0.peakMemoryBytes) }.max()! * 1.05, 1)
        let limit = memoryLimitBytes.map(mebibytes)
        if let limit, limit < highMemory * 2 { highMemory = max(highMemory, limit * 1.05) }
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        let x = { (seconds: Double) in margin.left + seconds / highCPU * plotWidth }
        let y = { (mib: Double) in margin.top + (highMemory - mib) / highMemory * plotHeight }
        let format = { (value: Double) in String(format: "%.1f", value) }
        let bottom = margin.top + plotHeight
        out +=
            "<line x1=\"\(format(margin.left))\" y1=\"\(format(bottom))\" x2=\"\(format(margin.left + plotWidth))\" y2=\"\(format(bottom))\" stroke=\"#333\"/>\n"
        out +=
            "<line x1=\"\(format(margin.left))\" y1=\"\(format(margin.top))\" x2=\"\(format(margin.left))\" y2=\"\(format(bottom))\" stroke=\"#333\"/>\n"
        for tick in 0...4 {
            let seconds = highCPU * Double(tick) / 4
            out += "<text x=\"\(format(x(seconds)))\" y=\"\(format(bottom + 16))\" text-anchor=\"middle\">\(String(format: "%.1f", seconds))</text>\n"
            let mib = highMemory * Double(tick) / 4
            out += "<text x=\"\(format(margin.left - 6))\" y=\"\(format(y(mib) + 4))\" text-anchor=\"end\">\(String(format: "%.0f", mib))</text>\n"
        }
        out +=
            "<text x=\"\(format(margin.left + plotWidth / 2))\" y=\"\(format(height - 8))\" text-anchor=\"middle\">CPU seconds per submission (all folds and questions)</text>\n"
        out +=
            "<text transform=\"translate(14 \(format(margin.top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">peak memory of a run (MiB)</text>\n"
        if let limit, limit <= highMemory {
            out +=
                "<line class=\"limit\" x1=\"\(format(margin.left))\" y1=\"\(format(y(limit)))\" x2=\"\(format(margin.left + plotWidth))\" y2=\"\(format(y(limit)))\" stroke=\"#e15759\" stroke-dasharray=\"4 3\"/>\n"
            out +=
                "<text x=\"\(format(margin.left + plotWidth - 4))\" y=\"\(format(y(limit) - 4))\" text-anchor=\"end\" fill=\"#e15759\">memory limit</text>\n"
        }
        for point in measured {
            let mib = mebibytes(point.peakMemoryBytes)
            out +=
                "<circle class=\"submission\" cx=\"\(format(x(point.cpuSeconds)))\" cy=\"\(format(y(mib)))\" r=\"3.5\" fill=\"#4e79a7\">"
                + "<title>\(PageFormat.xmlEscaped(point.label)): \(String(format: "%.1f", point.cpuSeconds)) CPU s, \(String(format: "%.0f", mib)) MiB</title></circle>\n"
        }
        return out + "</svg>\n"
    }
}
