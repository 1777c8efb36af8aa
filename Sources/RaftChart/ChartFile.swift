import Foundation
import RaftScript

/// Writing a chart: the format follows the file's extension.
public enum ChartFile {
    public enum Format: Hashable, Sendable {
        /// A picture: the message sequence chart alone.
        case svg
        /// A page to step through: the chart, the `show` table and the `show log` grid.
        case html
    }

    /// The format `path` asks for, or an error naming the two there are.
    public static func format(of path: String) throws(CommandError) -> Format {
        switch (path as NSString).pathExtension.lowercased() {
        case "svg": return .svg
        case "html", "htm": return .html
        default: throw CommandError("\(path): a chart is written as .svg (a picture) or .html (a page to step through)")
        }
    }

    /// Where a script's chart goes when no file is named: next to it, as a page.
    public static func defaultPath(forScript path: String) -> String {
        let base = (path as NSString).pathExtension == "raftscript" ? (path as NSString).deletingPathExtension : path
        return base + ".html"
    }

    /// The chart's text in the format `path` asks for.
    public static func render(_ recording: Recording, for path: String, title: String) throws(CommandError) -> String {
        switch try format(of: path) {
        case .svg: SVGChart.render(recording)
        case .html: HTMLPage.render(recording, title: title)
        }
    }

    /// The mark every chart carries near its start: a file with it may be drawn over.
    static let mark = "<!-- drawn by raftsh chart -->"

    /// Writes the chart to `path` whole or not at all (a reader never sees half a
    /// chart). It replaces an earlier chart, never another file.
    public static func write(_ recording: Recording, to path: String, title: String) throws(CommandError) {
        let text = try render(recording, for: path, title: title)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else { throw CommandError("\(path) is a folder") }
            let start = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 512) } ?? Data()
            guard String(decoding: start, as: UTF8.self).contains(mark) else {
                throw CommandError("\(path) exists and is not a chart raftsh drew; choose another name or remove it")
            }
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CommandError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
