/// The lists in force, one per kind, replaced only by a list that is valid and not older.
///
/// Rules, per kind:
/// - unsafe, malformed, wrong-kind or schema-invalid XML is refused;
/// - a lower Volgnummer than the one in force is refused (a stale mirror or a replay);
/// - the same Volgnummer with the same content is a no-op (`.unchanged`), as happens on every
///   poll between publications; the same Volgnummer with *different* content is refused, because
///   MedMij raises the Volgnummer on every republication, so this is a publisher fault or tampering;
/// - on any refusal the last good copy stays in force (MedMij: keep serving through ≤ 8 h outages).
///
/// Validation runs inside the actor, so two offers of the same kind can never interleave between
/// the Volgnummer check and the swap. Persistence is the caller's: ``inForceXML(_:)`` gives the
/// exact accepted bytes to save, and offering them again at start-up restores the state.
///
/// ```swift
/// let store = MedMijListStore(parser: try MedMijListParser(schemaDirectory: schemaDirectory))
/// switch await store.accept(xml: fetched, kind: .whitelist) {
/// case .success(.accepted(let number, _)): try save(await store.inForceXML(.whitelist), number)
/// case .success(.unchanged): break
/// case .failure(let refusal): logger.error("Whitelist refused: \(refusal)")
/// }
/// ```
public actor MedMijListStore {
    /// What an accepted offer did.
    public enum Acceptance: Sendable, Hashable {
        /// The offer is now in force; `replacing` is the Volgnummer it replaced, if any.
        case accepted(sequenceNumber: UInt64, replacing: UInt64?)
        /// The offer equals the list in force (same Volgnummer and content); nothing changed.
        case unchanged(sequenceNumber: UInt64)
    }

    private struct InForce {
        var list: MedMijList
        var xml: [UInt8]
    }

    private let parser: MedMijListParser
    private var inForce: [MedMijListKind: InForce] = [:]

    public init(parser: MedMijListParser) {
        self.parser = parser
    }

    /// Offers `xml` as the new list of `kind`; see the type's rules.
    public func accept(xml: [UInt8], kind: MedMijListKind) -> Result<Acceptance, MedMijListError> {
        let offered: MedMijList
        do {
            offered = try parser.parse(xml, as: kind)
        } catch {
            return .failure(error)
        }
        let current = inForce[kind]
        if let current {
            let inForceNumber = current.list.sequenceNumber
            if offered.sequenceNumber < inForceNumber {
                return .failure(.olderSequenceNumber(offered: offered.sequenceNumber, inForce: inForceNumber))
            }
            if offered.sequenceNumber == inForceNumber {
                // Compared as values, so a re-serialisation with other whitespace is still "the same".
                return offered == current.list
                    ? .success(.unchanged(sequenceNumber: inForceNumber))
                    : .failure(.conflictingSequenceNumber(inForceNumber))
            }
        }
        inForce[kind] = InForce(list: offered, xml: xml)
        return .success(.accepted(sequenceNumber: offered.sequenceNumber, replacing: current?.list.sequenceNumber))
    }

    /// The list of `kind` in force, if one was ever accepted.
    public func list(_ kind: MedMijListKind) -> MedMijList? { inForce[kind]?.list }

    /// The exact bytes of the list of `kind` in force, for the caller to persist.
    public func inForceXML(_ kind: MedMijListKind) -> [UInt8]? { inForce[kind]?.xml }

    /// The Volgnummer in force for `kind`.
    public func sequenceNumber(_ kind: MedMijListKind) -> UInt64? { inForce[kind]?.list.sequenceNumber }

    public var oauthClientList: OAuthClientList? {
        if case .oauthClients(let list)? = inForce[.oauthClientList]?.list { list } else { nil }
    }

    public var providerList: ProviderList? {
        if case .providers(let list)? = inForce[.providerList]?.list { list } else { nil }
    }

    public var whitelist: NodeWhitelist? {
        if case .whitelist(let list)? = inForce[.whitelist]?.list { list } else { nil }
    }

    public var dataServiceNameList: DataServiceNameList? {
        if case .dataServiceNames(let list)? = inForce[.dataServiceNameList]?.list { list } else { nil }
    }
}
