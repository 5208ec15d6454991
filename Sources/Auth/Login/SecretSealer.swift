import Crypto
import Foundation

/// Why the sealing key could not be used.
public enum SecretSealerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key file is readable or writable by group or others; it must be 0600.
    case insecureKeyFile(path: String, mode: UInt32)
    /// The key file could not be created or read.
    case keyFileUnavailable(path: String, reason: String)
    /// The key file does not hold a base64 256-bit key.
    case malformedKeyFile(path: String)
    /// A sealed value did not open: another key, another context, or tampering.
    case cannotOpen

    public var description: String {
        switch self {
        case .insecureKeyFile(let path, let mode):
            "the key file \(path) has mode \(String(mode, radix: 8)); it must be 600 (chmod 600 \(path))"
        case .keyFileUnavailable(let path, let reason): "the key file \(path) cannot be used: \(reason)"
        case .malformedKeyFile(let path): "the key file \(path) does not hold a base64 256-bit key"
        case .cannotOpen: "a sealed secret could not be opened (wrong key, wrong context or tampered)"
        }
    }
}

/// Seals the few secrets the gateway must be able to read back (TOTP seeds) with AES-256-GCM under a
/// key kept in a file of its own (mode 0600) in the data directory, so a copy of `gateway.sqlite`
/// alone reveals no seed.
///
/// The context (e.g. the account id) is authenticated with the ciphertext, so a sealed value moved to
/// another row does not open.
///
/// ```swift
/// let sealer = try SecretSealer.loadOrCreate(keyFile: ".zorgnet/login-secrets.key")
/// let sealed = try sealer.seal(seed, context: "citizen:p1")
/// let seed = try sealer.open(sealed, context: "citizen:p1")
/// ```
public struct SecretSealer: Sendable {
    public static let defaultKeyFileName = "login-secrets.key"

    // The raw bytes rather than a SymmetricKey, which is not Sendable; a key is made per use.
    private let keyBytes: [UInt8]

    public init(key: SymmetricKey) {
        self.keyBytes = key.withUnsafeBytes { Array($0) }
    }

    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// Reads the key file, creating it (0600, 32 random bytes) when it does not exist yet.
    public static func loadOrCreate(keyFile path: String) throws(SecretSealerError) -> SecretSealer {
        if !PKIFileSystem.exists(path) {
            let key = SymmetricKey(size: .bits256)
            let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
            do {
                try PKIFileSystem.writeNewFile(path, contents: text, mode: PKIFileSystem.privateFileMode)
            } catch .fileAlreadyExists {
                // Another process created it a moment ago: read theirs.
            } catch {
                throw .keyFileUnavailable(path: path, reason: "\(error)")
            }
        }
        let mode: mode_t
        let text: String
        do {
            mode = try PKIFileSystem.permissions(of: path)
            text = try PKIFileSystem.readFile(path)
        } catch {
            throw .keyFileUnavailable(path: path, reason: "\(error)")
        }
        guard mode & 0o077 == 0 else { throw .insecureKeyFile(path: path, mode: UInt32(mode)) }
        guard let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else {
            throw .malformedKeyFile(path: path)
        }
        return SecretSealer(key: SymmetricKey(data: bytes))
    }

    /// Nonce, ciphertext and tag in one byte string (AES-GCM combined form).
    public func seal(_ plaintext: [UInt8], context: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Array(context.utf8))
        guard let combined = box.combined else { throw SecretSealerError.cannotOpen }
        return Array(combined)
    }

    public func open(_ sealed: [UInt8], context: String) throws(SecretSealerError) -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(context.utf8)))
        } catch {
            throw .cannotOpen
        }
    }
}
