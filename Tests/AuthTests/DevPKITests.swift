import Foundation
import Testing
import X509

@testable import Auth

@Suite("Development PKI files")
struct DevPKITests {
    private static let allFiles =
        ["ca.crt", "ca.key"] + DevPKI.Party.allCases.flatMap { ["\($0.rawValue).crt", "\($0.rawValue).key"] }

    @Test("initialize writes the CA and a certificate and key for every party into D/pki")
    func initializeCreatesEveryFile() async throws {
        try await withTemporaryDirectory { dataDirectory in
            let pki = try DevPKI.initialize(dataDirectory: dataDirectory)
            #expect(pki.directory == dataDirectory + "/pki")
            let present = try FileManager.default.contentsOfDirectory(atPath: pki.directory)
            #expect(Set(present) == Set(Self.allFiles))
            #expect(pki.caCertificatePath == pki.directory + "/ca.crt")
            #expect(pki.certificatePath(.pgoDemo) == pki.directory + "/pgo-demo.crt")
            #expect(pki.privateKeyPath(.hospitalDemo) == pki.directory + "/hospital-demo.key")
        }
    }

    @Test("keys are 0600, certificates 0644 and the pki directory 0700")
    func filePermissions() async throws {
        try await withTemporaryDirectory { dataDirectory in
            let pki = try DevPKI.initialize(dataDirectory: dataDirectory + "/nested/data")
            #expect(try PKIFileSystem.permissions(of: pki.directory) == 0o700)
            for file in Self.allFiles {
                let expected: mode_t = file.hasSuffix(".key") ? 0o600 : 0o644
                #expect(try PKIFileSystem.permissions(of: pki.directory + "/" + file) == expected, "\(file)")
            }
        }
    }

    @Test("an existing, wider pki directory is narrowed to 0700 before keys are written into it")
    func existingDirectoryIsNarrowed() async throws {
        try await withTemporaryDirectory { dataDirectory in
            try FileManager.default.createDirectory(
                atPath: dataDirectory + "/pki", withIntermediateDirectories: false,
                attributes: [.posixPermissions: 0o755])
            let pki = try DevPKI.initialize(dataDirectory: dataDirectory)
            #expect(try PKIFileSystem.permissions(of: pki.directory) == 0o700)
        }
    }

    @Test("a second initialize refuses and leaves every file byte-for-byte untouched")
    func secondInitializeRefuses() async throws {
        try await withTemporaryDirectory { dataDirectory in
            let pki = try DevPKI.initialize(dataDirectory: dataDirectory)
            let before = try Self.snapshot(pki.directory)
            #expect(throws: DevPKIError.alreadyInitialized(caCertificatePath: pki.caCertificatePath)) {
                try DevPKI.initialize(dataDirectory: dataDirectory)
            }
            #expect(try Self.snapshot(pki.directory) == before)
        }
    }

    @Test("initialize refuses to overwrite a key left by an interrupted run")
    func strayKeyIsNotOverwritten() async throws {
        try await withTemporaryDirectory { dataDirectory in
            let pkiDirectory = dataDirectory + "/pki"
            try FileManager.default.createDirectory(atPath: pkiDirectory, withIntermediateDirectories: false)
            let strayKey = pkiDirectory + "/server.key"
            try "stray".write(toFile: strayKey, atomically: false, encoding: .utf8)
            #expect(throws: DevPKIError.fileAlreadyExists(path: strayKey)) {
                try DevPKI.initialize(dataDirectory: dataDirectory)
            }
            #expect(try String(contentsOfFile: strayKey, encoding: .utf8) == "stray")
            #expect(try FileManager.default.contentsOfDirectory(atPath: pkiDirectory) == ["server.key"])
        }
    }

    @Test("load reads back the certificates initialize wrote")
    func loadRoundTrips() async throws {
        try await withTemporaryDirectory { dataDirectory in
            let created = try DevPKI.initialize(dataDirectory: dataDirectory)
            let loaded = try DevPKI.load(dataDirectory: dataDirectory)
            #expect(loaded.directory == created.directory)
            #expect(loaded.caCertificate == created.caCertificate)
            for party in DevPKI.Party.allCases {
                #expect(try loaded.certificate(party) == created.certificate(party))
            }
        }
    }

    @Test("load refuses a private key that group or others can read")
    func loadRejectsExposedKey() async throws {
        try await withTemporaryDirectory { dataDirectory in
            let pki = try DevPKI.initialize(dataDirectory: dataDirectory)
            let keyPath = pki.privateKeyPath(.auditor)
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: keyPath)
            #expect(throws: DevPKIError.insecureKeyFilePermissions(path: keyPath, mode: 0o640)) {
                try DevPKI.load(dataDirectory: dataDirectory)
            }
        }
    }

    @Test("load names the missing file when there is no PKI")
    func loadWithoutPKI() async throws {
        try await withTemporaryDirectory { dataDirectory in
            #expect(throws: DevPKIError.cannotReadFile(path: dataDirectory + "/pki/ca.crt", errno: ENOENT)) {
                try DevPKI.load(dataDirectory: dataDirectory)
            }
        }
    }

    @Test("initialize names a data directory path that is a file")
    func dataDirectoryIsAFile() async throws {
        try await withTemporaryDirectory { parent in
            let file = parent + "/not-a-directory"
            try "x".write(toFile: file, atomically: false, encoding: .utf8)
            #expect(throws: DevPKIError.notADirectory(path: file)) {
                try DevPKI.initialize(dataDirectory: file)
            }
        }
    }

    @Test("each private key is PKCS#8 PEM and belongs to its certificate", arguments: DevPKI.Party.allCases)
    func keysMatchCertificates(party: DevPKI.Party) async throws {
        try await withTemporaryDirectory { dataDirectory in
            let pki = try DevPKI.initialize(dataDirectory: dataDirectory)
            let pem = try String(contentsOfFile: pki.privateKeyPath(party), encoding: .utf8)
            #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
            #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
            let key = try Certificate.PrivateKey(pemEncoded: pem)
            #expect(key.publicKey == (try pki.certificate(party)).publicKey)
            #expect(key.supportedSignatureAlgorithms.contains(.ecdsaWithSHA256))
        }
    }

    @Test("the CA key reloads as a CA that issues certificates chaining to ca.crt")
    func caReloadsAndIssues() async throws {
        try await withTemporaryDirectory { dataDirectory in
            let pki = try DevPKI.initialize(dataDirectory: dataDirectory)
            let ca = try pki.certificateAuthority()
            #expect(ca.certificate == pki.caCertificate)
            let issued = try ca.issue(clientRequest())
            #expect(await chainsTo(issued.certificate, roots: [pki.caCertificate]))
        }
    }

    /// File name → (contents, modification date), to prove a refused call changed nothing.
    private static func snapshot(_ directory: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let path = directory + "/" + file
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            result[file] = try String(contentsOfFile: path, encoding: .utf8) + "@\(modified)"
        }
        return result
    }
}
