/// A party that may connect on the back channel: an organisation (care provider, identified by its
/// URA, the UZI-register subscriber number), a PGO app (identified by its OAuth client id, which is its
/// hostname), an auditor or an operator.
public struct Party: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case organization, app, auditor, `operator`
    }

    public enum Status: String, Sendable, Hashable, Codable {
        case active, suspended, revoked
    }

    public var partyID: String
    public var kind: Kind
    public var displayName: String
    /// URA of an organisation.
    public var ura: String?
    /// OAuth client id (hostname) of a PGO app.
    public var clientID: String?
    public var status: Status

    public init(partyID: String, kind: Kind, displayName: String, ura: String? = nil, clientID: String? = nil, status: Status = .active) {
        self.partyID = partyID
        self.kind = kind
        self.displayName = displayName
        self.ura = ura
        self.clientID = clientID
        self.status = status
    }
}

/// A certificate registered for a party, pinned by its SHA-256 fingerprint.
public struct PartyCertificate: Sendable, Hashable, Codable {
    public var fingerprintSHA256: String
    public var partyID: String
    public var subject: String
    /// When the certificate expires, as an instant.
    public var notValidAfter: String
    public var status: Party.Status

    public init(fingerprintSHA256: String, partyID: String, subject: String, notValidAfter: String, status: Party.Status = .active) {
        self.fingerprintSHA256 = fingerprintSHA256
        self.partyID = partyID
        self.subject = subject
        self.notValidAfter = notValidAfter
        self.status = status
    }
}
