import Exchange
import Testing
import Foundation

/// Paths into the repository, found from this file so the tests run from any package that links
/// the directory (the dev package symlinks it).
enum ListFixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()  // ExchangeTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let schemaDirectory = repositoryRoot.appendingPathComponent("Schemas/medmij")

    static func parser() throws -> MedMijListParser {
        try MedMijListParser(schemaDirectory: schemaDirectory)
    }

    /// The example list of `kind` from Fixtures/medmij, as text.
    static func text(_ kind: MedMijListKind) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent("Fixtures/medmij/\(kind.listFileName)"), encoding: .utf8)
    }

    static func bytes(_ kind: MedMijListKind) throws -> [UInt8] { Array(try text(kind).utf8) }

    /// 1-based line of the `occurrence`-th line containing `marker`.
    static func line(of marker: String, in text: String, occurrence: Int = 1) -> Int? {
        var seen = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(marker) {
            seen += 1
            if seen == occurrence { return index + 1 }
        }
        return nil
    }

    /// `text` with the Volgnummer replaced.
    static func withSequenceNumber(_ number: String, in text: String) -> String {
        guard let start = text.range(of: "<Volgnummer>"), let end = text.range(of: "</Volgnummer>") else { return text }
        return text.replacingCharacters(in: start.upperBound..<end.lowerBound, with: number)
    }
}

/// Readable names for parameterized test output.
extension MedMijListKind: CustomTestStringConvertible {
    public var testDescription: String { description }
}
