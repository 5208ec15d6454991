import Audit
import Auth
import Foundation
import Store
import SwiftASN1
import X509

/// Registers, suspends and reactivates the parties that may use the back channel, for operators
/// running with real certificates (`zorgnet party …`). Every change is written to the audit log.
///
/// ```swift
/// let administration = PartyAdministration(directory: DataDirectory(path: "/var/lib/zorgnet"))
/// try await administration.register(certificateFile: "ziekenhuis.crt", partyID: "zkh-oost", kind: .organization,
///                                    name: "Ziekenhuis Oost", ura: "90000456", clientID: nil)
/// ```
public struct PartyAdministration: Sendable {
    public let directory: DataDirectory

    public init(directory: DataDirectory) {
        self.directory = directory
    }

    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case noData(String)
        case unreadableCertificate(String)
        case missingIdentifier(String)
        case certificateDoesNotCarry(String)

        public var description: String {
            switch self {
            case .noData(let path): "\(path) holds no gateway data"
            case .unreadableCertificate(let file): "\(file) holds no readable PEM certificate"
            case .missingIdentifier(let what): what
            case .certificateDoesNotCarry(let what): "the certificate does not carry \(what), so it cannot speak for this party"
            }
        }
    }

    /// Registers a party with the certificate in `certificateFile` (PEM). An organisation needs the URA
    /// its certificate carries; an app needs the hostname (OAuth client id) its certificate carries.
    @discardableResult
    public func register(
        certificateFile: String, partyID: String, kind: Party.Kind, name: String, ura: String?, clientID: String?
    ) async throws -> CertificateIdentity {
        let identity = try Self.identity(of: certificateFile)
        switch kind {
        case .organization:
            guard let ura else { throw Refusal.missingIdentifier("an organisation needs --ura") }
            guard identity.ura == ura else { throw Refusal.certificateDoesNotCarry("URA \(ura)") }
        case .app:
            guard let clientID else { throw Refusal.missingIdentifier("an app needs --client-id (its hostname)") }
            guard identity.dnsNames.contains(clientID) else { throw Refusal.certificateDoesNotCarry("hostname \(clientID)") }
        case .auditor, .operator:
            break
        }
        try await withDatabase { database in
            try await PartyRegistry(database: database).register(
                Party(partyID: partyID, kind: kind, displayName: name, ura: kind == .organization ? ura : nil,
                      clientID: kind == .app ? clientID : nil),
                certificate: PartyCertificate(
                    fingerprintSHA256: identity.fingerprintSHA256, partyID: partyID, subject: identity.subject,
                    notValidAfter: Instant.format(identity.notValidAfter)))
        }
        try await audit("party register", partyID: partyID, kind: kind.rawValue, fingerprint: identity.fingerprintSHA256,
                        detail: "registered with certificate \(identity.subject)")
        return identity
    }

    public func setStatus(partyID: String, _ status: Party.Status) async throws {
        try await withDatabase { database in try await PartyRegistry(database: database).setStatus(partyID: partyID, status) }
        try await audit("party \(status.rawValue)", partyID: partyID, kind: nil, fingerprint: nil, detail: "party set to \(status.rawValue)")
    }

    public func setCertificateStatus(fingerprint: String, _ status: Party.Status) async throws {
        try await withDatabase { database in
            try await PartyRegistry(database: database).setCertificateStatus(fingerprint: fingerprint, status)
        }
        try await audit("certificate \(status.rawValue)", partyID: nil, kind: nil, fingerprint: fingerprint,
                        detail: "certificate set to \(status.rawValue)")
    }

    public func parties() async throws -> [(Party, [PartyCertificate])] {
        try await withDatabase { database in
            let registry = PartyRegistry(database: database)
            var result = [(Party, [PartyCertificate])]()
            for party in try await registry.parties() {
                result.append((party, try await registry.certificates(partyID: party.partyID)))
            }
            return result
        }
    }

    static func identity(of file: String) throws -> CertificateIdentity {
        guard let pem = try? String(contentsOfFile: file, encoding: .utf8),
            let document = try? PEMDocument(pemString: pem),
            let certificate = try? Certificate(derEncoded: document.derBytes)
        else { throw Refusal.unreadableCertificate(file) }
        return CertificateIdentity(certificate)
    }

    private func withDatabase<T: Sendable>(_ body: (GatewayDatabase) async throws -> T) async throws -> T {
        guard directory.exists else { throw Refusal.noData(directory.path) }
        let database = try GatewayDatabase(path: directory.gatewayDatabasePath)
        defer { try? database.close() }
        return try await body(database)
    }

    private func audit(_ action: String, partyID: String?, kind: String?, fingerprint: String?, detail: String) async throws {
        let log = try AuditLog(path: directory.auditDatabasePath)
        defer { try? log.close() }
        try await log.append(
            AuditEvent(
                recorded: Instant.format(Date()), channel: .cli, method: "PARTY", path: action, status: 0, partyID: partyID,
                partyKind: kind, certificateFingerprint: fingerprint, detail: detail, kind: .registryChange))
    }
}
