import Foundation
import Testing

@testable import Auth

@Suite("Sealing TOTP seeds with a key file")
struct SecretSealerTests {
    @Test("the key file is created with mode 0600 and the same key is read back")
    func keyFile() async throws {
        try await withTemporaryDirectory { directory in
            let path = (directory as NSString).appendingPathComponent("login-secrets.key")
            let sealed = try SecretSealer.loadOrCreate(keyFile: path).seal([1, 2, 3], context: "citizen:p1")
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode == 0o600)
            #expect(try SecretSealer.loadOrCreate(keyFile: path).open(sealed, context: "citizen:p1") == [1, 2, 3])
        }
    }

    @Test("a sealed value opens only with its own context and untouched")
    func contextAndTampering() async throws {
        try await withTemporaryDirectory { directory in
            let sealer = try SecretSealer.loadOrCreate(keyFile: (directory as NSString).appendingPathComponent("k"))
            var sealed = try sealer.seal(Array("seed".utf8), context: "citizen:p1")
            #expect(!sealed.containsSubsequence(Array("seed".utf8)))
            #expect(throws: SecretSealerError.cannotOpen) { try sealer.open(sealed, context: "citizen:p2") }
            sealed[sealed.count - 1] ^= 1
            #expect(throws: SecretSealerError.cannotOpen) { try sealer.open(sealed, context: "citizen:p1") }
        }
    }

    @Test("a key file readable by others or not holding a key is refused")
    func insecureOrMalformed() async throws {
        try await withTemporaryDirectory { directory in
            let open = (directory as NSString).appendingPathComponent("open.key")
            _ = try SecretSealer.loadOrCreate(keyFile: open)
            chmod(open, 0o644)
            #expect(throws: SecretSealerError.insecureKeyFile(path: open, mode: 0o644)) { try SecretSealer.loadOrCreate(keyFile: open) }
            let malformed = (directory as NSString).appendingPathComponent("bad.key")
            #expect(FileManager.default.createFile(atPath: malformed, contents: Data("not a key\n".utf8), attributes: [.posixPermissions: 0o600]))
            #expect(throws: SecretSealerError.malformedKeyFile(path: malformed)) { try SecretSealer.loadOrCreate(keyFile: malformed) }
        }
    }
}

extension Array where Element == UInt8 {
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}
