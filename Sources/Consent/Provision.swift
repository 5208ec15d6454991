/// One rule of a consent: permit or deny, when all of its conditions hold.
///
/// An empty condition list means "not constrained" (any actor, any action, any category); values inside one
/// list are alternatives (OR), the lists together must all hold (AND), as in FHIR `Consent.provision`.
/// Nested provisions are exceptions: they are only considered where their parent applies, and override it.
///
/// ```swift
/// // Everything for app-1, except lab results.
/// let rule = Provision(.permit, actors: [.pgoApp("app-1")], categories: [.everything], provisions: [
///     Provision(.deny, categories: [.labResults])
/// ])
/// ```
public struct Provision: Sendable, Hashable, Codable {
    public let type: ProvisionType
    public let actors: [ConsentActor]
    public let actions: [ConsentAction]
    public let categories: [DataCategory]
    /// The span the *data* must fall in (FHIR `dataPeriod`), judged by the resource's clinical date.
    public let dataPeriod: ConsentPeriod?
    /// When this rule is in force (FHIR `period`), within the consent's own validity.
    public let validityPeriod: ConsentPeriod?
    /// Exceptions to this rule.
    public let provisions: [Provision]

    public init(
        _ type: ProvisionType, actors: [ConsentActor] = [], actions: [ConsentAction] = [],
        categories: [DataCategory] = [], dataPeriod: ConsentPeriod? = nil, validityPeriod: ConsentPeriod? = nil,
        provisions: [Provision] = []
    ) {
        self.type = type
        self.actors = actors
        self.actions = actions
        self.categories = categories
        self.dataPeriod = dataPeriod
        self.validityPeriod = validityPeriod
        self.provisions = provisions
    }

    /// Whether the category condition is absent: no categories, or `.everything` among them.
    var coversEverything: Bool {
        categories.isEmpty || categories.contains(.everything)
    }
}

/// What a provision does when it applies.
public enum ProvisionType: String, Sendable, Hashable, CaseIterable, Codable {
    case permit
    case deny
}

/// Who a provision is about. The concrete cases identify one party; the `any…` cases stand for a group and
/// are less specific (an individual beats a category, as in the national consent combination rules).
///
/// ```swift
/// ConsentActor.anyPGOApp.matches(.pgoApp("app-1"))       // true
/// ConsentActor.provider(ura: "1").matches(.provider(ura: "2"))   // false
/// ```
public enum ConsentActor: Sendable, Hashable, Codable {
    /// One MedMij PGO app, by OAuth client id.
    case pgoApp(String)
    /// One care provider organisation, by URA number.
    case provider(ura: String)
    /// One member of the patient's personal care circle (a relative or informal carer), by member id.
    case member(String)
    case anyPGOApp
    case anyProvider
    case anyMember

    /// Whether this provision actor covers the concrete requesting actor `actor`.
    public func matches(_ actor: ConsentActor) -> Bool {
        switch (self, actor) {
        case (.anyPGOApp, .pgoApp), (.anyProvider, .provider), (.anyMember, .member): true
        case (.anyPGOApp, _), (.anyProvider, _), (.anyMember, _): false
        default: self == actor
        }
    }

    /// Whether this names one party rather than a group.
    public var isIndividual: Bool {
        switch self {
        case .pgoApp, .provider, .member: true
        case .anyPGOApp, .anyProvider, .anyMember: false
        }
    }
}

/// What the actor wants to do with the data.
///
/// The words follow MedMij and the flows of the gateway: apps *collect* (verzamelen) and *share*
/// (delen), providers *push* summaries in, members *read*.
public enum ConsentAction: String, Sendable, Hashable, CaseIterable, Codable {
    /// Data is collected (verzamelen): a PGO app pulls the patient's data from the gateway, or the
    /// gateway collects it from a provider.
    case collect
    /// A care provider pushes data (a summary from its EPD) into the patient's record.
    case push
    /// Data is shared (delen): a PGO app sends the patient's self-measurements into the record, or the
    /// gateway shares them on with a provider.
    case share
    /// A member of the patient's PZC reads the record in the members' view.
    case read
}
