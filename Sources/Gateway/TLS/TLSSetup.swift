import Exchange
import Foundation
import NIOSSL

/// The TLS settings of the two listeners.
///
/// TLS 1.2 at least, 1.3 preferred (BoringSSL picks the highest both sides speak). For TLS 1.2 only
/// ECDHE key exchange with AES-GCM or ChaCha20-Poly1305, the NCSC "good" list; TLS 1.3's own suites
/// are all AEAD. BoringSSL never renegotiates as a server, and 0-RTT is off unless asked for.
enum TLSSetup {

    struct Identity {
        var certificateChain: [NIOSSLCertificate]
        var privateKey: NIOSSLPrivateKey
    }

    struct Material {
        var front: Identity
        var back: Identity
        var clientTrustAnchors: [NIOSSLCertificate]
    }

    static func loadMaterial(_ files: ResolvedTLSFiles) throws -> Material {
        for (path, purpose) in [
            (files.frontCertificate, "front certificate"), (files.frontKey, "front key"),
            (files.backCertificate, "back certificate"), (files.backKey, "back key"),
            (files.clientTrustAnchors, "client trust anchors"),
        ] where !FileManager.default.fileExists(atPath: path) {
            throw ConfigurationError.missingFile(path, purpose: purpose)
        }
        return Material(
            front: Identity(
                certificateChain: try NIOSSLCertificate.fromPEMFile(files.frontCertificate),
                privateKey: try NIOSSLPrivateKey(file: files.frontKey, format: .pem)),
            back: Identity(
                certificateChain: try NIOSSLCertificate.fromPEMFile(files.backCertificate),
                privateKey: try NIOSSLPrivateKey(file: files.backKey, format: .pem)),
            clientTrustAnchors: try NIOSSLCertificate.fromPEMFile(files.clientTrustAnchors))
    }

    /// Front channel: the server proves who it is; browsers present no certificate.
    static func front(_ material: Material) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: material.front.certificateChain.map { .certificate($0) },
            privateKey: .privateKey(material.front.privateKey))
        harden(&configuration)
        return configuration
    }

    /// Back channel: the handshake fails unless the client presents a certificate that chains to one
    /// of the configured anchors and is within its validity period.
    static func back(_ material: Material) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: material.back.certificateChain.map { .certificate($0) },
            privateKey: .privateKey(material.back.privateKey),
            trustRoots: .certificates(material.clientTrustAnchors))
        // Hostnames are for servers; a client is identified after the handshake, by the registry.
        configuration.certificateVerification = .noHostnameVerification
        configuration.sendCANameList = true
        harden(&configuration)
        return configuration
    }

    private static func harden(_ configuration: inout TLSConfiguration) {
        TLSPolicy.harden(&configuration)
    }
}

/// TLS file paths with the dev PKI filled in for whatever was not configured.
struct ResolvedTLSFiles {
    var frontCertificate: String
    var frontKey: String
    var backCertificate: String
    var backKey: String
    var clientTrustAnchors: String

    init(_ files: TLSFiles, dataDirectory: String) {
        let pki = (dataDirectory as NSString).appendingPathComponent("pki")
        func dev(_ name: String) -> String { (pki as NSString).appendingPathComponent(name) }
        frontCertificate = files.frontCertificate ?? dev("server.crt")
        frontKey = files.frontKey ?? dev("server.key")
        backCertificate = files.backCertificate ?? dev("server.crt")
        backKey = files.backKey ?? dev("server.key")
        clientTrustAnchors = files.clientTrustAnchors ?? dev("ca.crt")
    }
}
