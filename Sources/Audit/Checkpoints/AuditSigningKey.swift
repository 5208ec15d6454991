import Crypto
import Foundation

/// The gateway's audit signing key (Ed25519): signs the log's checkpoints.
///
/// Kept as a file of its own in the data directory, mode 0600, apart from the audit database, so a
/// copy of `audit.sqlite` given to an auditor carries no way to sign. The public key is written next
/// to it (`.pub`, hex) for auditors to verify with.
///
/// ```swift
/// let key = try AuditSigningKey.loadOrCreate(keyFile: dataDirectory + "/audit-signing.key")
/// let checkpoint = try await log.makeCheckpoint(signedWith: key)
/// checkpoint.isSigned(by: try key.publicKey)   // true
/// ```
public struct AuditSigningKey: Sendable {
    public static let defaultFileName = "audit-signing.key"

    /// The raw 32-byte key: swift-crypto's key type is not `Sendable`, its bytes are.
    private let rawPrivateKey: Data
    private let rawPublicKey: Data

    public var publicKey: Curve25519.Signing.PublicKey {
        get throws { try Curve25519.Signing.PublicKey(rawRepresentation: rawPublicKey) }
    }
    public var keyID: String { Self.keyID(raw: rawPublicKey) }

    public init(privateKey: Curve25519.Signing.PrivateKey) {
        rawPrivateKey = privateKey.rawRepresentation
        rawPublicKey = privateKey.publicKey.rawRepresentation
    }

    public func sign(_ text: String) throws -> [UInt8] {
        Array(try Curve25519.Signing.PrivateKey(rawRepresentation: rawPrivateKey).signature(for: Data(text.utf8)))
    }

    static func keyID(of publicKey: Curve25519.Signing.PublicKey) -> String {
        keyID(raw: publicKey.rawRepresentation)
    }

    private static func keyID(raw: Data) -> String {
        String(Hex.encode(Array(SHA256.hash(data: raw))).prefix(16))
    }

    /// Reads the key, or creates it (0600) with its public half (`<file>.pub`) when there is none.
    /// A key file readable by others is refused: anyone who can read it can forge checkpoints.
    public static func loadOrCreate(keyFile: String) throws -> AuditSigningKey {
        let manager = FileManager.default
        if manager.fileExists(atPath: keyFile) {
            let mode = (try manager.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int) ?? 0
            guard mode & 0o077 == 0 else { throw AuditSigningKeyError.keyFileTooOpen(path: keyFile, mode: mode) }
            let data = try Data(contentsOf: URL(fileURLWithPath: keyFile))
            guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: data) else {
                throw AuditSigningKeyError.unreadableKey(path: keyFile)
            }
            return AuditSigningKey(privateKey: key)
        }
        let key = Curve25519.Signing.PrivateKey()
        guard manager.createFile(atPath: keyFile, contents: key.rawRepresentation, attributes: [.posixPermissions: 0o600]) else {
            throw AuditSigningKeyError.cannotWrite(path: keyFile)
        }
        let publicText = Hex.encode(Array(key.publicKey.rawRepresentation)) + "\n"
        _ = manager.createFile(atPath: keyFile + ".pub", contents: Data(publicText.utf8), attributes: [.posixPermissions: 0o644])
        return AuditSigningKey(privateKey: key)
    }

    /// A public key as written in the `.pub` file (hex of the 32 raw bytes).
    public static func publicKey(hex: String) throws -> Curve25519.Signing.PublicKey {
        guard let bytes = Hex.decode(hex.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        else { throw AuditSigningKeyError.unreadablePublicKey }
        return key
    }
}

public enum AuditSigningKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    case keyFileTooOpen(path: String, mode: Int)
    case unreadableKey(path: String)
    case unreadablePublicKey
    case cannotWrite(path: String)

    public var description: String {
        switch self {
        case .keyFileTooOpen(let path, let mode):
            "the audit signing key \(path) is readable by others (mode \(String(mode, radix: 8))); it must be 0600"
        case .unreadableKey(let path): "\(path) does not hold an Ed25519 private key"
        case .unreadablePublicKey: "the public key is not 64 hex digits of an Ed25519 key"
        case .cannotWrite(let path): "cannot write the audit signing key to \(path)"
        }
    }
}
