import Store

/// The pages of the members' view: server-rendered in the gateway's one layout, no JavaScript,
/// tables with captions and header scopes.
enum CarePages {
    /// The kinds of data a member may be shown, each a section of the record page.
    enum Kind: String, CaseIterable, Sendable {
        case condition = "Condition"
        case allergy = "AllergyIntolerance"
        case alert = "Flag"
        case medication = "MedicationStatement"
        case vaccination = "Immunization"
        case observation = "Observation"
        case procedure = "Procedure"
        case encounter = "Encounter"
        case directive = "Consent"
        case device = "DeviceUseStatement"
        case nutrition = "NutritionOrder"
        case document = "DocumentReference"
        case form = "QuestionnaireResponse"

        func title(_ text: CareText) -> String {
            let dutch = text.front.language == .nl
            switch self {
            case .condition: return dutch ? "Problemen" : "Problems"
            case .allergy: return dutch ? "Allergieën" : "Allergies"
            case .alert: return dutch ? "Alerts" : "Alerts"
            case .medication: return dutch ? "Medicatiegebruik" : "Medication use"
            case .vaccination: return dutch ? "Vaccinaties" : "Vaccinations"
            case .observation: return dutch ? "Metingen en uitslagen" : "Measurements and results"
            case .procedure: return dutch ? "Verrichtingen" : "Procedures"
            case .encounter: return dutch ? "Contacten" : "Encounters"
            case .directive: return dutch ? "Wilsverklaringen en behandelaanwijzingen" : "Advance and treatment directives"
            case .device: return dutch ? "Medische hulpmiddelen" : "Medical devices"
            case .nutrition: return dutch ? "Voedingsadvies" : "Nutrition advice"
            case .document: return dutch ? "Documenten en notities" : "Documents and notes"
            case .form: return dutch ? "Ingevulde formulieren" : "Filled-in forms"
            }
        }
    }

    /// One section of a record page: what the member may read of one kind, and how much is withheld.
    struct Section: Sendable {
        let kind: Kind
        let lines: [RecordLine]
        /// All permitted resources of the kind (there may be more than the page shows).
        let total: Int
        let withheld: Int
    }

    static func patients(text: CareText, session: FrontSession, communities: [PZCRecord]) -> HTMLPage {
        var body = "<p>\(HTML.escape(text.patientsIntro))</p>\n"
        if communities.isEmpty {
            body += "<p>\(HTML.escape(text.noPatients))</p>\n"
        } else {
            body += """
                <table><caption>\(HTML.escape(text.patientsCaption))</caption>
                <thead><tr><th scope="col">\(HTML.escape(text.patientColumn))</th><th scope="col">\(HTML.escape(text.communityColumn))</th></tr></thead>
                <tbody>

                """
            for community in communities {
                body += """
                    <tr><th scope="row"><a href="/care/patients/\(HTML.escape(community.patientResourceID))">\(HTML.escape(community.patientName))</a></th>\
                    <td>\(HTML.escape(community.title))</td></tr>

                    """
            }
            body += "</tbody></table>\n"
        }
        return HTMLPage(text: text.front, title: text.patientsTitle, body: body, languageBack: "/care", loggedIn: session.headerLogin)
    }

    static func record(text: CareText, session: FrontSession, community: PZCRecord, sections: [Section]) -> HTMLPage {
        var body = "<p><a href=\"/care\">\(HTML.escape(text.backToPatients))</a></p>\n"
        let shown = sections.filter { $0.total > 0 }
        let withheld = sections.reduce(0) { $0 + $1.withheld }
        if shown.isEmpty { body += "<p>\(HTML.escape(text.nothingShared))</p>\n" }
        if withheld > 0 { body += "<p>\(HTML.escape(text.withheld(withheld)))</p>\n" }
        for section in shown {
            let id = "kind-\(section.kind.rawValue.lowercased())"
            body += """
                <section aria-labelledby="\(id)"><h2 id="\(id)">\(HTML.escape(section.kind.title(text)))</h2>
                <table><caption>\(HTML.escape(section.kind.title(text)))</caption>
                <thead><tr><th scope="col">\(HTML.escape(text.whatColumn))</th><th scope="col">\(HTML.escape(text.whenColumn))</th></tr></thead>
                <tbody>

                """
            for line in section.lines {
                body += "<tr><td>\(HTML.escape(line.what))</td><td>\(HTML.escape(line.when ?? "–"))</td></tr>\n"
            }
            body += "</tbody></table>\n"
            if section.lines.count < section.total { body += "<p>\(HTML.escape(text.truncated(section.lines.count, section.total)))</p>\n" }
            body += "</section>\n"
        }
        return HTMLPage(
            text: text.front, title: text.recordTitle(community.patientName), body: body,
            languageBack: "/care/patients/\(community.patientResourceID)", loggedIn: session.headerLogin)
    }
}
