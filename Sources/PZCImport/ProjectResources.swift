import Foundation

/// Finds the project's data directories (`Profiles/`, `Fixtures/pzc/`) for a binary run from a checkout:
/// in the working directory first, then beside the sources the binary was built from.
public enum ProjectResources {
    public static func directory(_ relativePath: String) -> String? {
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [
            FileManager.default.currentDirectoryPath + "/" + relativePath,
            sourceRoot.appendingPathComponent(relativePath).path,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The project's profile definitions, read at start-up by the validator.
    public static var profilesDirectory: String? { directory("Profiles") }

    /// The demo PZC exports that `serve --demo` imports.
    public static var demoPZCDirectory: String? { directory("Fixtures/pzc") }
}
