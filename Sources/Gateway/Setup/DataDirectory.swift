import Audit
import Foundation

/// The layout of a data directory: `gateway.sqlite`, `audit.sqlite` and `pki/`.
public struct DataDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var gatewayDatabasePath: String { file("gateway.sqlite") }
    public var auditDatabasePath: String { file("audit.sqlite") }
    /// The audit signing key (Ed25519, mode 0600) and, beside it, its public half (`.pub`).
    public var auditSigningKeyPath: String { file(AuditSigningKey.defaultFileName) }
    public var pkiPath: String { file("pki") }

    public var exists: Bool { FileManager.default.fileExists(atPath: gatewayDatabasePath) }

    /// Creates the directory, readable by its owner only: it holds keys and patient data.
    public func create() throws {
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    private func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }
}
