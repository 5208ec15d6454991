import Foundation
import Store

/// The second factor of the DigiD stand-in: TOTP (RFC 6238), enrolled at the first login with a QR
/// code, the seed stored sealed (``SecretSealer``), every accepted time step remembered so a code
/// cannot be replayed.
///
/// ```swift
/// let factor = TOTPSecondFactor(accounts: LoginAccountStore(database: database), sealer: sealer)
/// if try await factor.isEnrolled(accountID: identity.accountID) == false {
///     let enrolment = try await factor.enrolment(accountID: identity.accountID, label: identity.displayName)
///     show(enrolment.qrSVG, enrolment.secretBase32)
/// }
/// let accepted = try await factor.verify(code, accountID: identity.accountID)
/// ```
public struct TOTPSecondFactor: Sendable {
    public let accounts: LoginAccountStore
    public let sealer: SecretSealer
    /// The issuer authenticator apps show next to the account.
    public let issuer: String
    /// Steps either side of now a code may come from (clock skew, typing time).
    public let allowedDrift: Int

    public init(accounts: LoginAccountStore, sealer: SecretSealer, issuer: String = "Zorgnet", allowedDrift: Int = 1) {
        self.accounts = accounts
        self.sealer = sealer
        self.issuer = issuer
        self.allowedDrift = allowedDrift
    }

    /// What the enrolment page shows: the QR code, and the same seed as text for typing in by hand.
    public struct Enrolment: Sendable {
        public var secretBase32: String
        public var provisioningURI: String
        public var qrSVG: String
    }

    public func isEnrolled(accountID: String) async throws -> Bool {
        try await accounts.account(id: accountID)?.isConfirmed == true
    }

    /// The pending enrolment of an account, created on first call; later calls show the same seed
    /// again until the first correct code confirms it. `label` names the account in the app (a
    /// person's name, never a BSN).
    public func enrolment(accountID: String, label: String, now: Date = Date()) async throws -> Enrolment {
        if let existing = try await accounts.account(id: accountID), !existing.isConfirmed {
            return try enrolment(seed: try sealer.open(existing.sealedSecret, context: accountID), label: label)
        }
        let seed = TOTP.randomSecret()
        let record = LoginAccountRecord(
            accountID: accountID, sealedSecret: try sealer.seal(seed, context: accountID),
            createdAtMilliseconds: Instant.milliseconds(now))
        guard try await accounts.startEnrolment(record) else { throw TOTPSecondFactorError.alreadyEnrolled }
        return try enrolment(seed: seed, label: label)
    }

    /// How many wrong codes in a row lock an account, and for how long: a million codes cannot be
    /// guessed at five per quarter of an hour, whatever the number of sessions an attacker opens.
    public static let wrongCodesBeforeLockout = 5
    public static let lockout: Duration = .seconds(15 * 60)

    /// What a code attempt came to.
    public enum Verification: Sendable, Hashable {
        case accepted
        /// Wrong, expired or replayed, or the account has no seed.
        case refused
        /// Refused without looking: the account is locked after too many wrong codes, until then.
        case locked(until: Date)
    }

    /// Checks a code, confirming a pending enrolment on success. Wrong codes count against the account
    /// (not the session); the ``wrongCodesBeforeLockout``-th in a row locks it for ``lockout``.
    public func verify(_ code: String, accountID: String, now: Date = Date()) async throws -> Verification {
        let milliseconds = Instant.milliseconds(now)
        if let until = try await accounts.lockedUntil(accountID: accountID, at: milliseconds) { return .locked(until: Self.date(until)) }
        guard let account = try await accounts.account(id: accountID) else { return .refused }
        let totp = try TOTP(secret: try sealer.open(account.sealedSecret, context: accountID))
        let typed = code.filter { !$0.isWhitespace }
        if let step = totp.verifiedTimeStep(typed, at: now, allowedDrift: allowedDrift, after: account.lastTimeStep.map { UInt64(max(0, $0)) }),
            try await accounts.acceptTimeStep(accountID: accountID, step: Int64(step), at: milliseconds)
        {
            return .accepted
        }
        let lockout = Int64(Self.lockout.components.seconds) * 1000
        if let until = try await accounts.recordWrongCode(
            accountID: accountID, at: milliseconds, limit: Self.wrongCodesBeforeLockout, lockout: lockout)
        {
            return .locked(until: Self.date(until))
        }
        return .refused
    }

    private static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    private func enrolment(seed: [UInt8], label: String) throws -> Enrolment {
        let totp = try TOTP(secret: seed)
        let uri = totp.provisioningURI(issuer: issuer, account: label)
        let qr = try QRCode.encode(uri, ecc: .medium)
        return Enrolment(
            secretBase32: Base32.encode(seed, padding: false), provisioningURI: uri,
            qrSVG: qr.svg(moduleSize: 4, label: "QR code"))
    }
}

public enum TOTPSecondFactorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Enrolment was asked for an account that already has a confirmed second factor.
    case alreadyEnrolled

    public var description: String {
        switch self {
        case .alreadyEnrolled: "this account already has a second factor"
        }
    }
}
