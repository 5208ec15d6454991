import Foundation
import GRDB

/// A front-channel login account's second factor: the TOTP seed, sealed (AES-GCM) by the caller.
public struct LoginAccountRecord: Sendable, Hashable {
    public var accountID: String
    /// The sealed seed: nonce, ciphertext and tag, as the sealer wrote them. Never the seed itself.
    public var sealedSecret: [UInt8]
    /// Nil until the first correct code confirmed the enrolment.
    public var confirmedAtMilliseconds: Int64?
    /// The TOTP time step accepted last (replay protection).
    public var lastTimeStep: Int64?
    public var createdAtMilliseconds: Int64

    public init(
        accountID: String, sealedSecret: [UInt8], confirmedAtMilliseconds: Int64? = nil, lastTimeStep: Int64? = nil,
        createdAtMilliseconds: Int64
    ) {
        self.accountID = accountID
        self.sealedSecret = sealedSecret
        self.confirmedAtMilliseconds = confirmedAtMilliseconds
        self.lastTimeStep = lastTimeStep
        self.createdAtMilliseconds = createdAtMilliseconds
    }

    public var isConfirmed: Bool { confirmedAtMilliseconds != nil }
}

/// Login accounts (second factors) in `gateway.sqlite`.
///
/// ```swift
/// let accounts = LoginAccountStore(database: database)
/// try await accounts.startEnrolment(LoginAccountRecord(accountID: "citizen:p1", sealedSecret: sealed, createdAtMilliseconds: now))
/// let accepted = try await accounts.acceptTimeStep(accountID: "citizen:p1", step: 58_000_001, at: now)
/// ```
public struct LoginAccountStore: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    public func account(id: String) async throws -> LoginAccountRecord? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM login_account WHERE account_id = ?", arguments: [id]).map { row in
                let sealed: Data = row["totp_sealed"]
                return LoginAccountRecord(
                    accountID: row["account_id"], sealedSecret: [UInt8](sealed), confirmedAtMilliseconds: row["confirmed_at_ms"],
                    lastTimeStep: row["last_time_step"], createdAtMilliseconds: row["created_at_ms"])
            }
        }
    }

    /// Stores a new, unconfirmed seed. Replaces an earlier unconfirmed one (an enrolment started again),
    /// never a confirmed one: false when the account is already enrolled.
    public func startEnrolment(_ record: LoginAccountRecord) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO login_account (account_id, totp_sealed, confirmed_at_ms, last_time_step, created_at_ms)
                    VALUES (?, ?, NULL, NULL, ?)
                    ON CONFLICT (account_id) DO UPDATE SET
                        totp_sealed = excluded.totp_sealed, created_at_ms = excluded.created_at_ms, last_time_step = NULL
                    WHERE login_account.confirmed_at_ms IS NULL
                    """,
                arguments: [record.accountID, Data(record.sealedSecret), record.createdAtMilliseconds])
            return db.changesCount == 1
        }
    }

    /// Until when the account refuses every code (milliseconds since 1970), or nil when it does not.
    public func lockedUntil(accountID: String, at milliseconds: Int64) async throws -> Int64? {
        try await database.pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT locked_until_ms FROM login_account WHERE account_id = ? AND locked_until_ms > ?",
                arguments: [accountID, milliseconds])
        }
    }

    /// Counts a wrong code. The `limit`-th wrong code in a row locks the account for `lockout`
    /// milliseconds and starts the count again; returns the end of the lock it set, if any.
    public func recordWrongCode(accountID: String, at milliseconds: Int64, limit: Int, lockout: Int64) async throws -> Int64? {
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE login_account SET failed_codes = failed_codes + 1 WHERE account_id = ?", arguments: [accountID])
            guard let failed = try Int.fetchOne(db, sql: "SELECT failed_codes FROM login_account WHERE account_id = ?", arguments: [accountID]),
                failed >= limit
            else { return nil }
            let until = milliseconds + lockout
            try db.execute(
                sql: "UPDATE login_account SET failed_codes = 0, locked_until_ms = ? WHERE account_id = ?", arguments: [until, accountID])
            return until
        }
    }

    /// Records an accepted time step, confirming the enrolment if needed. Compare-and-set: false when
    /// this step or a later one was already accepted (a replayed code), so two concurrent logins with
    /// the same code cannot both pass.
    public func acceptTimeStep(accountID: String, step: Int64, at milliseconds: Int64) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE login_account
                    SET last_time_step = ?, confirmed_at_ms = COALESCE(confirmed_at_ms, ?), failed_codes = 0
                    WHERE account_id = ? AND (last_time_step IS NULL OR last_time_step < ?)
                      AND (locked_until_ms IS NULL OR locked_until_ms <= ?)
                    """,
                arguments: [step, milliseconds, accountID, step, milliseconds])
            return db.changesCount == 1
        }
    }
}
