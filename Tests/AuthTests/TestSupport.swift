import Crypto
import Foundation
import SwiftASN1
import X509

@testable import Auth

/// Runs `body` with a fresh directory under the system temporary directory, removed afterwards.
@discardableResult
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("zorgnet-auth-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// True if `leaf` chains to one of `roots` under RFC 5280 rules at the current time.
func chainsTo(_ leaf: Certificate, roots: [Certificate]) async -> Bool {
    var verifier = Verifier(rootCertificates: CertificateStore(roots)) { RFC5280Policy() }
    if case .validCertificate = await verifier.validate(leaf: leaf, intermediates: CertificateStore()) {
        return true
    }
    return false
}

/// True if `leaf` chains to `roots` and is valid for a TLS server reached at `hostname` or `ipAddress`.
func isValidServer(_ leaf: Certificate, roots: [Certificate], hostname: String?, ipAddress: String?) async -> Bool {
    var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
        RFC5280Policy()
        ServerIdentityPolicy(serverHostname: hostname, serverIP: ipAddress)
    }
    if case .validCertificate = await verifier.validate(leaf: leaf, intermediates: CertificateStore()) {
        return true
    }
    return false
}

func derBytes(_ certificate: Certificate) throws -> [UInt8] {
    var serializer = DER.Serializer()
    try serializer.serialize(certificate)
    return serializer.serializedBytes
}

/// A one-hour request for a client certificate, to be adjusted per test.
func clientRequest(commonName: String = "client.zorgnet.test", now: Date = Date()) -> LeafCertificateRequest {
    LeafCertificateRequest(
        commonName: commonName, dnsNames: [commonName], usages: [.client],
        notValidBefore: now - 60, notValidAfter: now + 3_600)
}

/// A throwaway root for tests, valid from a minute ago for a day.
func makeTestRoot(_ commonName: String = "Zorgnet Test Root") throws -> CertificateAuthority {
    let now = Date()
    return try CertificateAuthority.makeRoot(
        commonName: commonName, notValidBefore: now - 60, notValidAfter: now + 86_400)
}

/// Signs a leaf with arbitrary subject and SAN names, for shapes `LeafCertificateRequest` deliberately cannot express
/// (conflicting URAs, foreign assigners, repeated attributes).
func signLeaf(
    by ca: CertificateAuthority, subject: DistinguishedName, names: [GeneralName]
) throws -> Certificate {
    let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
    let now = Date()
    return try Certificate(
        version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
        notValidBefore: now - 60, notValidAfter: now + 3_600,
        issuer: ca.certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
        extensions: try Certificate.Extensions { SubjectAlternativeNames(names) },
        issuerPrivateKey: ca.privateKey)
}

/// The system `openssl`, if installed; tests that compare against it are skipped otherwise.
enum OpenSSL {
    static let path: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs openssl with `arguments` and returns its standard output.
    static func run(_ arguments: [String]) throws -> String {
        guard let path else { return "" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
