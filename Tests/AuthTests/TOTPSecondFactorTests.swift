import Foundation
import Store
import Testing

@testable import Auth

@Suite("TOTP second factor with sealed seeds")
struct TOTPSecondFactorTests {
    static func withFactor(_ body: (TOTPSecondFactor) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let database = try GatewayDatabase(path: (directory as NSString).appendingPathComponent("gateway.sqlite"))
            let sealer = try SecretSealer.loadOrCreate(keyFile: (directory as NSString).appendingPathComponent("login-secrets.key"))
            try await body(TOTPSecondFactor(accounts: LoginAccountStore(database: database), sealer: sealer))
            try database.close()
        }
    }

    @Test("enrolment shows the same seed until the first correct code confirms it")
    func enrolment() async throws {
        try await Self.withFactor { factor in
            let first = try await factor.enrolment(accountID: "citizen:p1", label: "Test Jansen")
            let again = try await factor.enrolment(accountID: "citizen:p1", label: "Test Jansen")
            #expect(first.secretBase32 == again.secretBase32)
            #expect(first.provisioningURI.hasPrefix("otpauth://totp/Zorgnet:Test%20Jansen?secret="))
            #expect(first.qrSVG.hasPrefix("<svg"))
            #expect(try await factor.isEnrolled(accountID: "citizen:p1") == false)
            let totp = try TOTP(secret: try Base32.decode(first.secretBase32))
            let now = Date()
            #expect(try await factor.verify(totp.code(at: now), accountID: "citizen:p1", now: now) == .accepted)
            #expect(try await factor.isEnrolled(accountID: "citizen:p1"))
            await #expect(throws: TOTPSecondFactorError.alreadyEnrolled) {
                try await factor.enrolment(accountID: "citizen:p1", label: "Test Jansen")
            }
        }
    }

    @Test("a code is accepted once; wrong codes and unknown accounts are refused")
    func replay() async throws {
        try await Self.withFactor { factor in
            let enrolment = try await factor.enrolment(accountID: "citizen:p1", label: "Test Jansen")
            let totp = try TOTP(secret: try Base32.decode(enrolment.secretBase32))
            let now = Date()
            let code = totp.code(at: now)
            #expect(try await factor.verify(code, accountID: "citizen:p1", now: now) == .accepted)
            #expect(try await factor.verify(code, accountID: "citizen:p1", now: now) == .refused)
            #expect(try await factor.verify(totp.code(at: now.addingTimeInterval(30)), accountID: "citizen:p1", now: now) == .accepted)
            #expect(try await factor.verify("12345", accountID: "citizen:p1", now: now) == .refused)
            #expect(try await factor.verify(code, accountID: "citizen:nobody", now: now) == .refused)
        }
    }

    @Test("five wrong codes in a row lock the account for 15 minutes, even for the right code; then it works again")
    func lockout() async throws {
        try await Self.withFactor { factor in
            let enrolment = try await factor.enrolment(accountID: "citizen:p1", label: "Test Jansen")
            let totp = try TOTP(secret: try Base32.decode(enrolment.secretBase32))
            let now = Date()
            for _ in 1..<TOTPSecondFactor.wrongCodesBeforeLockout {
                #expect(try await factor.verify("000000", accountID: "citizen:p1", now: now) == .refused)
            }
            let locked = try await factor.verify("000000", accountID: "citizen:p1", now: now)
            guard case .locked(let until) = locked else {
                Issue.record("the fifth wrong code must lock the account: \(locked)")
                return
            }
            #expect(abs(until.timeIntervalSince(now) - 15 * 60) < 1)
            let later = now.addingTimeInterval(60)
            #expect(try await factor.verify(totp.code(at: later), accountID: "citizen:p1", now: later) == .locked(until: until))

            let afterwards = now.addingTimeInterval(15 * 60 + 1)
            #expect(try await factor.verify(totp.code(at: afterwards), accountID: "citizen:p1", now: afterwards) == .accepted)
        }
    }

    @Test("a right code resets the count of wrong ones")
    func rightCodeResetsCount() async throws {
        try await Self.withFactor { factor in
            let enrolment = try await factor.enrolment(accountID: "citizen:p1", label: "Test Jansen")
            let totp = try TOTP(secret: try Base32.decode(enrolment.secretBase32))
            var now = Date()
            for _ in 0..<3 {
                for _ in 1..<TOTPSecondFactor.wrongCodesBeforeLockout {
                    #expect(try await factor.verify("000000", accountID: "citizen:p1", now: now) == .refused)
                }
                #expect(try await factor.verify(totp.code(at: now), accountID: "citizen:p1", now: now) == .accepted)
                now = now.addingTimeInterval(30)
            }
        }
    }

    @Test("the database holds the seed only sealed")
    func sealedAtRest() async throws {
        try await withTemporaryDirectory { directory in
            let database = try GatewayDatabase(path: (directory as NSString).appendingPathComponent("gateway.sqlite"))
            let sealer = try SecretSealer.loadOrCreate(keyFile: (directory as NSString).appendingPathComponent("k"))
            let accounts = LoginAccountStore(database: database)
            let enrolment = try await TOTPSecondFactor(accounts: accounts, sealer: sealer).enrolment(accountID: "citizen:p1", label: "T")
            let stored = try #require(try await accounts.account(id: "citizen:p1"))
            #expect(!stored.sealedSecret.containsSubsequence(try Base32.decode(enrolment.secretBase32)))
            #expect(try sealer.open(stored.sealedSecret, context: "citizen:p1") == (try Base32.decode(enrolment.secretBase32)))
            try database.close()
        }
    }
}
