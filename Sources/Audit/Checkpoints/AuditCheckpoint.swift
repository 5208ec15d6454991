import Crypto
import Foundation

/// A signed statement of the audit log's state: "the first `size` events have this Merkle root and
/// this chain head", signed with the gateway's audit key.
///
/// Handed to auditors (``AuditLog/checkpoints()``, `zorgnet audit checkpoints`), it lets them prove
/// later that the log they are shown still holds exactly those events: a consistency proof links it
/// to any later root, and a log cut back below `size` can no longer match it.
///
/// The signed text is a small, line-based note that reads without tools:
///
/// ```
/// zorgnet-audit-checkpoint/1
/// 1024
/// 3q2+7w…=        (Merkle root, base64)
/// 9f86d081…       (chain head, hex)
/// 2026-11-23T18:00:00.000Z
/// ```
public struct AuditCheckpoint: Sendable, Hashable, Codable {
    /// The number of events the checkpoint covers: events 1 through `size`.
    public var size: Int64
    /// RFC 6962 Merkle root over the first `size` events.
    public var root: [UInt8]
    /// The hash chain's value after event `size`.
    public var chainHead: [UInt8]
    /// When it was made (UTC, ISO 8601 with milliseconds).
    public var created: String
    /// Identifies the key that signed: the first 16 hex digits of SHA-256 over the raw public key.
    public var keyID: String
    /// Ed25519 signature over ``signedText``.
    public var signature: [UInt8]

    public static let format = "zorgnet-audit-checkpoint/1"

    public init(size: Int64, root: [UInt8], chainHead: [UInt8], created: String, keyID: String, signature: [UInt8]) {
        self.size = size
        self.root = root
        self.chainHead = chainHead
        self.created = created
        self.keyID = keyID
        self.signature = signature
    }

    /// The exact bytes the signature covers.
    public var signedText: String {
        Self.signedText(size: size, root: root, chainHead: chainHead, created: created)
    }

    static func signedText(size: Int64, root: [UInt8], chainHead: [UInt8], created: String) -> String {
        [Self.format, String(size), Data(root).base64EncodedString(), Hex.encode(chainHead), created].joined(separator: "\n") + "\n"
    }

    enum CodingKeys: String, CodingKey {
        case size, root, chainHead, created, keyID, signature
    }

    /// As exported: hashes and signature as text (root and signature base64, chain head hex), so the
    /// JSON can be read, diffed and kept anywhere.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(size, forKey: .size)
        try container.encode(Data(root).base64EncodedString(), forKey: .root)
        try container.encode(Hex.encode(chainHead), forKey: .chainHead)
        try container.encode(created, forKey: .created)
        try container.encode(keyID, forKey: .keyID)
        try container.encode(Data(signature).base64EncodedString(), forKey: .signature)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        size = try container.decode(Int64.self, forKey: .size)
        created = try container.decode(String.self, forKey: .created)
        keyID = try container.decode(String.self, forKey: .keyID)
        guard let root = Data(base64Encoded: try container.decode(String.self, forKey: .root)) else {
            throw DecodingError.dataCorruptedError(forKey: .root, in: container, debugDescription: "not base64")
        }
        guard let head = Hex.decode(try container.decode(String.self, forKey: .chainHead)) else {
            throw DecodingError.dataCorruptedError(forKey: .chainHead, in: container, debugDescription: "not hex")
        }
        guard let signature = Data(base64Encoded: try container.decode(String.self, forKey: .signature)) else {
            throw DecodingError.dataCorruptedError(forKey: .signature, in: container, debugDescription: "not base64")
        }
        self.root = [UInt8](root)
        self.chainHead = head
        self.signature = [UInt8](signature)
    }

    /// Whether `publicKey` made the signature over exactly this content.
    public func isSigned(by publicKey: Curve25519.Signing.PublicKey) -> Bool {
        keyID == AuditSigningKey.keyID(of: publicKey) && publicKey.isValidSignature(signature, for: Data(signedText.utf8))
    }
}

/// Lowercase hexadecimal, for hashes people compare by eye.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
