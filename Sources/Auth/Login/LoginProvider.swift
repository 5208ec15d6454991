/// Who a login is for: the patient side (DigiD) or professionals (UZI).
public enum LoginAudience: String, Sendable, Hashable, Codable {
    case citizen
    case professional
}

/// Who logged in, as the gateway knows them after a login provider vouched for them.
public struct LoginIdentity: Sendable, Hashable, Codable {
    public enum Subject: Sendable, Hashable, Codable {
        /// A patient, by the id of their Patient resource (the BSN stays behind in the PZC record).
        case citizen(patientID: String)
        /// A professional, by UZI number and the id of their Practitioner resource.
        case professional(uziNumber: String, practitionerID: String)
    }

    public var subject: Subject
    /// Shown on pages ("Logged in as …"); never a BSN.
    public var displayName: String
    /// The provider that vouched (``LoginProvider/id``).
    public var providerID: String

    public init(subject: Subject, displayName: String, providerID: String) {
        self.subject = subject
        self.displayName = displayName
        self.providerID = providerID
    }

    /// The key of the person's login account (second factor), stable across logins.
    public var accountID: String {
        switch subject {
        case .citizen(let patientID): "citizen:\(patientID)"
        case .professional(let uzi, _): "professional:\(uzi)"
        }
    }

    public var patientID: String? {
        if case .citizen(let patientID) = subject { return patientID }
        return nil
    }
}

/// One option a stand-in login offers (a demo patient, a registered professional).
public struct LoginChoice: Sendable, Hashable {
    public var value: String
    public var label: String
    public var detail: String?

    public init(value: String, label: String, detail: String? = nil) {
        self.value = value
        self.label = label
        self.detail = detail
    }
}

/// How a login begins in the browser.
public enum LoginStart: Sendable, Hashable {
    /// The gateway renders a form: pick one of `choices`, or (when `acceptsTypedIdentifier`) type an
    /// identifier such as a test BSN. The fields go back to ``LoginProvider/finish(_:)``.
    case form(choices: [LoginChoice], acceptsTypedIdentifier: Bool)
    /// The browser is sent to an external identity broker (a real DigiD or UZI connection); its
    /// answer comes back to the gateway's callback and is handed to ``LoginProvider/finish(_:)``.
    case redirect(url: String)
}

/// Why a login attempt was refused; each case names what the person must fix.
public enum LoginFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Neither a choice nor an identifier was sent.
    case nothingChosen
    /// The typed BSN is not nine digits.
    case malformedBSN
    /// The typed BSN fails the eleven-test.
    case bsnFailsElevenTest
    /// A valid BSN, but no imported PZC belongs to it.
    case unknownCitizen
    /// The chosen professional is not a registered PZC member with a UZI number.
    case unknownProfessional
    /// The chosen option is not one the provider offers.
    case unknownChoice

    public var description: String {
        switch self {
        case .nothingChosen: "no person was chosen"
        case .malformedBSN: "a BSN has nine digits"
        case .bsnFailsElevenTest: "the BSN fails the eleven-test"
        case .unknownCitizen: "no personal care community belongs to this BSN"
        case .unknownProfessional: "this professional is not a registered member of any personal care community"
        case .unknownChoice: "the chosen person is not on offer"
        }
    }
}

/// A way to log in on the front channel. The DigiD and UZI stand-ins implement it for demos; a real
/// identity broker (DigiD via SAML, UZI via a broker) implements the `.redirect` form of ``start()``
/// and checks the broker's answer in ``finish(_:)``.
///
/// ```swift
/// let provider: any LoginProvider = DigiDStandIn(pzcs: PZCRecords(database: database))
/// if case .form(let choices, _) = try await provider.start() { render(choices) }
/// let identity = try await provider.finish(["bsn": "999911120"])
/// if provider.requiresSecondFactor { /* TOTP before the login counts */ }
/// ```
public protocol LoginProvider: Sendable {
    /// Stable id, used in URLs (`/login/{id}`) and recorded with the identity.
    var id: String { get }
    var audience: LoginAudience { get }
    /// Whether the gateway must ask for its own second factor (TOTP) after this provider: true for a
    /// stand-in that proves nothing by itself; false for a broker that authenticates at level
    /// "substantieel" or higher on its own.
    var requiresSecondFactor: Bool { get }
    /// Whether this is a stand-in (shown as such on the login page, enabled only for demos).
    var isStandIn: Bool { get }

    func start() async throws -> LoginStart
    /// Turns the returned fields into an identity, or throws ``LoginFailure``.
    func finish(_ fields: [String: String]) async throws -> LoginIdentity
}
