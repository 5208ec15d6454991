/// The patient's contact persons, one per member.
///
/// The export lists a member once per role (first contact *and* legal representative are two list
/// entries); the zib has one Contactpersoon with all of their roles, so the entries are merged here,
/// in the order the export first names each member.
///
/// ```swift
/// let list = ContactList([ContactPerson(member: "m-eva", role: "first-contact", relationship: "mother"),
///                         ContactPerson(member: "m-eva", role: "legal-representative", relationship: "mother")])
/// list.members.count          // 1
/// list.members[0].roles       // ["first-contact", "legal-representative"]
/// ```
struct ContactList {
    struct Member {
        var member: String
        /// The roles as the export words them, each once, in export order.
        var roles: [String] = []
        /// The relationships as the export words them, each once (normally exactly one).
        var relationships: [String] = []

        /// RolCodelijst concepts for the roles, plus the role a friend or neighbour has by relationship;
        /// words outside the list are left out and, when `reportUnknown`, reported (the patient's contact
        /// list reports them once; the member's RelatedPerson need not say it again).
        func codedRoles(reportingTo mapping: inout SectionCollector, reportUnknown: Bool = true) -> [CodedText] {
            var coded: [CodedText] = []
            for word in roles {
                guard let role = AdministrativeVocabulary.role(word) else {
                    if reportUnknown { mapping.unmapped(member, "contact role '\(word)' is not in RolCodelijst; left out") }
                    continue
                }
                if !coded.contains(role) { coded.append(role) }
            }
            for word in relationships {
                if let implied = AdministrativeVocabulary.impliedRole(ofRelationship: word), !coded.contains(implied) {
                    coded.append(implied)
                }
            }
            return coded
        }

        /// RelatieCodelijst concepts for the relationships; words outside the list are reported and left out.
        func codedRelationships(reportingTo mapping: inout SectionCollector) -> [CodedText] {
            relationships.compactMap { word in
                let coded = AdministrativeVocabulary.relationship(word)
                if coded == nil { mapping.unmapped(member, "relationship '\(word)' is not in RelatieCodelijst; left out") }
                return coded
            }
        }
    }

    private(set) var members: [Member] = []

    init(_ contacts: [ContactPerson]) {
        var index = [String: Int]()
        for contact in contacts {
            let position: Int
            if let known = index[contact.member] {
                position = known
            } else {
                members.append(Member(member: contact.member))
                position = members.count - 1
                index[contact.member] = position
            }
            if let role = contact.role?.nonBlank, !members[position].roles.contains(role) {
                members[position].roles.append(role)
            }
            if let relationship = contact.relationship.nonBlank, !members[position].relationships.contains(relationship) {
                members[position].relationships.append(relationship)
            }
        }
    }

    /// The merged entry of one member, if the patient named them as contact person.
    func member(_ id: String) -> Member? {
        members.first { $0.member == id }
    }
}
