import Foundation
import X509

/// The development PKI in `<data-dir>/pki`: a root CA and certificates for the gateway and demo parties.
///
/// For development and tests only: its CA key lies next to the certificates it signs. Production uses
/// certificates from UZI-register, PKIoverheid and a public CA (see `certs/README.md`).
///
/// ```swift
/// let pki = try DevPKI.initialize(dataDirectory: ".zorgnet")   // `zorgnet pki init`
/// let same = try DevPKI.load(dataDirectory: ".zorgnet")
/// let serverKeyPath = same.privateKeyPath(.server)            // D/pki/server.key, mode 0600
/// ```
public struct DevPKI: Sendable {
    /// A party the dev PKI holds a certificate and key for; the raw value is the file name stem.
    public enum Party: String, Sendable, CaseIterable {
        /// The gateway's TLS server certificate: localhost, 127.0.0.1 and ::1.
        case server
        /// A PGO app whose SAN dNSName ``DevPKI/pgoDemoClientID`` is its OAuth client id.
        case pgoDemo = "pgo-demo"
        /// A hospital whose URA ``DevPKI/hospitalDemoURA`` is in the SAN in both UZI otherName forms.
        case hospitalDemo = "hospital-demo"
        case auditor
        case `operator`
    }

    /// `<data-dir>/pki`.
    public private(set) var directory: String
    /// The dev root, the trust anchor for every dev certificate.
    public private(set) var caCertificate: Certificate
    private var certificates: [Party: Certificate]

    /// `<data-dir>/pki/ca.crt`, PEM: the trust anchor for every dev certificate.
    public var caCertificatePath: String { Layout(directory: directory).caCertificate }

    /// `<data-dir>/pki/<party>.crt`, PEM, the leaf only (the CA is in ``caCertificatePath``).
    public func certificatePath(_ party: Party) -> String { Layout(directory: directory).certificate(party) }

    /// `<data-dir>/pki/<party>.key`, PEM PKCS#8, mode 0600.
    public func privateKeyPath(_ party: Party) -> String { Layout(directory: directory).privateKey(party) }

    /// The party's certificate, as loaded or created.
    public func certificate(_ party: Party) throws -> Certificate {
        guard let certificate = certificates[party] else {
            throw DevPKIError.cannotReadFile(path: certificatePath(party), errno: ENOENT)
        }
        return certificate
    }

    /// The CA with its private key, to issue further development certificates (tooling and tests).
    public func certificateAuthority() throws -> CertificateAuthority {
        try CertificateAuthority(
            certificatePEM: PKIFileSystem.readFile(caCertificatePath),
            privateKeyPEM: Self.readPrivateKey(Layout(directory: directory).caPrivateKey))
    }

    /// Creates `<data-dir>/pki` (mode 0700) with the CA and every ``Party``'s certificate and key (mode 0600).
    ///
    /// Throws ``DevPKIError/alreadyInitialized(caCertificatePath:)`` if a CA exists, and
    /// ``DevPKIError/fileAlreadyExists(path:)`` if any other file would be overwritten: keys are never replaced.
    @discardableResult
    public static func initialize(dataDirectory: String, now: Date = Date()) throws -> DevPKI {
        let directory = pkiDirectory(in: dataDirectory)
        let layout = Layout(directory: directory)
        guard !PKIFileSystem.exists(layout.caCertificate) else {
            throw DevPKIError.alreadyInitialized(caCertificatePath: layout.caCertificate)
        }
        // Check every path before touching anything, so a refusal leaves the directory exactly as it was.
        let keyPaths = [layout.caPrivateKey] + Party.allCases.map(layout.privateKey)
        let certificatePaths = Party.allCases.map(layout.certificate) + [layout.caCertificate]
        if let existing = (keyPaths + certificatePaths).first(where: PKIFileSystem.exists) {
            throw DevPKIError.fileAlreadyExists(path: existing)
        }
        try PKIFileSystem.createDataDirectory(dataDirectory)
        try PKIFileSystem.createPrivateDirectory(directory)

        let ca = try CertificateAuthority.makeRoot(
            commonName: caCommonName, notValidBefore: now - clockSkewAllowance, notValidAfter: now + caLifetime)
        let issued = try Party.allCases.map { party in (party, try ca.issue(party.request(now: now))) }

        // ca.crt goes last: its presence marks a complete PKI, which is what `initialize` refuses to touch.
        let keyMode = PKIFileSystem.privateFileMode
        let certificateMode = PKIFileSystem.publicFileMode
        try PKIFileSystem.writeNewFile(layout.caPrivateKey, contents: ca.privateKeyPEM, mode: keyMode)
        for (party, leaf) in issued {
            try PKIFileSystem.writeNewFile(layout.privateKey(party), contents: leaf.privateKeyPEM, mode: keyMode)
            try PKIFileSystem.writeNewFile(
                layout.certificate(party), contents: leaf.certificatePEM, mode: certificateMode)
        }
        try PKIFileSystem.writeNewFile(layout.caCertificate, contents: ca.certificatePEM, mode: certificateMode)

        let certificates = Dictionary(uniqueKeysWithValues: issued.map { ($0, $1.certificate) })
        return DevPKI(directory: directory, caCertificate: ca.certificate, certificates: certificates)
    }

    /// Loads `<data-dir>/pki` as ``initialize(dataDirectory:now:)`` wrote it.
    ///
    /// Every certificate must parse and every key file must exist with no group or other permissions, so a
    /// broken or exposed PKI is reported at startup rather than at the first TLS handshake.
    public static func load(dataDirectory: String) throws -> DevPKI {
        let directory = pkiDirectory(in: dataDirectory)
        let layout = Layout(directory: directory)
        let caCertificate = try readCertificate(layout.caCertificate)
        var certificates: [Party: Certificate] = [:]
        for party in Party.allCases {
            certificates[party] = try readCertificate(layout.certificate(party))
            try checkKeyPermissions(layout.privateKey(party))
        }
        try checkKeyPermissions(layout.caPrivateKey)
        return DevPKI(directory: directory, caCertificate: caCertificate, certificates: certificates)
    }

    private init(directory: String, caCertificate: Certificate, certificates: [Party: Certificate]) {
        self.directory = directory
        self.caCertificate = caCertificate
        self.certificates = certificates
    }

    private static func pkiDirectory(in dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("pki").path
    }

    private static func readCertificate(_ path: String) throws -> Certificate {
        let pem = try PKIFileSystem.readFile(path)
        do {
            return try Certificate(pemEncoded: pem)
        } catch {
            throw DevPKIError.malformedCertificateFile(path: path, reason: String(describing: error))
        }
    }

    private static func checkKeyPermissions(_ path: String) throws {
        let mode = try PKIFileSystem.permissions(of: path)
        guard mode & 0o077 == 0 else {
            throw DevPKIError.insecureKeyFilePermissions(path: path, mode: UInt32(mode))
        }
    }

    private static func readPrivateKey(_ path: String) throws -> String {
        try checkKeyPermissions(path)
        return try PKIFileSystem.readFile(path)
    }

    /// Where each file lives inside the pki directory.
    private struct Layout {
        var directory: String
        var caCertificate: String { file("ca.crt") }
        var caPrivateKey: String { file("ca.key") }
        func certificate(_ party: Party) -> String { file("\(party.rawValue).crt") }
        func privateKey(_ party: Party) -> String { file("\(party.rawValue).key") }
        private func file(_ name: String) -> String {
            URL(fileURLWithPath: directory).appendingPathComponent(name).path
        }
    }
}
