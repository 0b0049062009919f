import Foundation

/// Writes `text` to standard output at once, unbuffered: output reaches a pipe or a log file
/// as it happens (`print` would hold it until exit when stdout is not a terminal, as in
/// `make demo > log`).
func say(_ text: String = "", terminator: String = "\n") {
    FileHandle.standardOutput.write(Data((text + terminator).utf8))
}
