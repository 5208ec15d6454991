import FHIR
import Foundation

/// Where the next page of a search starts: the sort values of the last resource served, its id, and
/// the snapshot bound of the whole search (resources created after it are left out of every page).
///
/// Keyset paging instead of an offset: a resource updated between pages keeps its place (its current
/// version is served), so no page repeats or skips one. The cursor only ever *narrows* a query: the
/// access scope and the search's own filters always apply, so a tampered cursor cannot widen what is
/// seen, and one that does not fit the query is refused.
///
/// ```swift
/// let first = try await repository.search(query, scope: scope, page: SearchPage(count: 50, snapshotMilliseconds: now))
/// if let next = first.next {
///     let token = next.token                      // opaque, for a `next` link
///     let cursor = try SearchCursor(token: token)
///     let second = try await repository.search(query, scope: scope, page: SearchPage(count: 50, after: cursor))
/// }
/// ```
public struct SearchCursor: Sendable, Hashable {
    /// One sort key's value on the last resource served.
    enum SortValue: Sendable, Hashable, Codable {
        case integer(Int64)
        case text(String)
        /// A resource without a value for a date sort key.
        case none

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .none
            } else if let integer = try? container.decode(Int64.self) {
                self = .integer(integer)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .integer(let integer): try container.encode(integer)
            case .text(let text): try container.encode(text)
            case .none: try container.encodeNil()
            }
        }
    }

    /// Resources created after this moment (milliseconds since 1970) belong to no page of the search.
    public let snapshotMilliseconds: Int64
    let sortValues: [SortValue]
    let lastID: String

    init(snapshotMilliseconds: Int64, sortValues: [SortValue], lastID: String) {
        self.snapshotMilliseconds = snapshotMilliseconds
        self.sortValues = sortValues
        self.lastID = lastID
    }

    private struct Wire: Codable {
        var s: Int64
        var k: [SortValue]
        var i: String
    }

    /// The cursor as opaque URL-safe text (base64url of a small JSON object).
    public var token: String {
        let wire = Wire(s: snapshotMilliseconds, k: sortValues, i: lastID)
        // Encoding integers, strings and nulls cannot fail.
        let json = (try? JSONEncoder().encode(wire)) ?? Data()
        return json.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads a cursor made by ``token``; anything else is ``SearchCursorError/malformed``.
    public init(token: String) throws(SearchCursorError) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard token.utf8.count <= 4096, let data = Data(base64Encoded: base64),
            let wire = try? JSONDecoder().decode(Wire.self, from: data),
            StoreError.isValidID(wire.i), wire.s > 0, wire.k.count <= 16
        else { throw .malformed }
        self.init(snapshotMilliseconds: wire.s, sortValues: wire.k, lastID: wire.i)
    }
}

/// Why a search cursor was refused.
public enum SearchCursorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not a cursor this server made.
    case malformed
    /// A cursor of a search with other sort keys.
    case doesNotFitQuery

    public var description: String {
        switch self {
        case .malformed: "the paging cursor is not one this server issued"
        case .doesNotFitQuery: "the paging cursor belongs to a search with a different _sort"
        }
    }
}
