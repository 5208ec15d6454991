import Consent

/// Every text of the patient portal, in Dutch and English. The layout texts and the names of the data
/// categories come from ``FrontText`` (``front``), so the portal and the login pages say the same thing
/// the same way.
struct PortalText: Sendable {
    let front: FrontText

    init(language: FrontLanguage) {
        front = FrontText(language: language)
    }

    var language: FrontLanguage { front.language }

    private func pick(_ dutch: String, _ english: String) -> String { language == .nl ? dutch : english }

    // Navigation
    var portalTitle: String { pick("Mijn zorgnet-gegevens", "My care community data") }
    var navigationLabel: String { pick("Portaal", "Portal") }
    var appsTitle: String { pick("Mijn apps", "My apps") }
    var providersTitle: String { pick("Mijn zorgaanbieders", "My care providers") }
    var membersTitle: String { pick("Mijn leden", "My members") }
    var accessLogTitle: String { pick("Wie keek in mijn gegevens", "Who looked at my data") }
    var overviewIntro: String {
        pick(
            "Hier bepaalt u wie uw gegevens mag gebruiken, en ziet u wie ze heeft gebruikt.",
            "Here you decide who may use your data, and see who has used it.")
    }
    var appsSummary: String {
        pick("De gezondheidsapps (PGO's) die uw gegevens mogen ophalen.", "The personal health apps (PGOs) that may collect your data.")
    }
    var providersSummary: String {
        pick(
            "Zorgaanbieders die samenvattingen naar uw dossier mogen sturen, of waar uw gegevens mogen worden opgehaald.",
            "Care providers that may send summaries to your record, or from which your data may be collected.")
    }
    var membersSummary: String {
        pick("Wat de leden van uw zorgnet mogen zien.", "What the members of your care community may see.")
    }
    var exchangeTitle: String { pick("Gegevens uitwisselen", "Exchange data") }
    var exchangeSummary: String {
        pick("Uw gegevens ophalen bij zorgverleners, en uw eigen metingen naar hen sturen.",
             "Collect your data from care providers, and send them your own measurements.")
    }
    var accessLogSummary: String {
        pick("Wie uw gegevens heeft opgehaald of bekeken, en wanneer.", "Who collected or viewed your data, and when.")
    }

    // Common
    var sinceColumn: String { pick("Sinds", "Since") }
    var untilColumn: String { pick("Tot", "Until") }
    var dataColumn: String { pick("Welke gegevens", "Which data") }
    var actionColumn: String { pick("Wijzigen", "Change") }
    var untilRevoked: String { pick("tot u het intrekt", "until you revoke it") }
    var revokeButton: String { pick("Intrekken", "Revoke") }
    var collectButton: String { pick("Gegevens ophalen", "Collect data") }
    func collectFrom(_ provider: String) -> String { pick("Gegevens ophalen bij \(provider)", "Collect data from \(provider)") }
    var saveButton: String { pick("Opslaan", "Save") }
    func except(_ categories: String) -> String { pick("behalve \(categories)", "except \(categories)") }
    var onlyPatients: String {
        pick(
            "Dit portaal is voor de patiënt zelf. Log uit en log in met DigiD.",
            "This portal is for the patient. Log out and log in with DigiD.")
    }
    var unknownChoice: String {
        pick("Deze keuze bestaat niet (meer). Er is niets gewijzigd.", "This choice does not exist (any more). Nothing was changed.")
    }

    // My apps
    var appColumn: String { pick("App", "App") }
    var noApps: String { pick("Er zijn geen apps die uw gegevens mogen ophalen.", "No apps may collect your data.") }
    var appsCaption: String { pick("Apps met toegang tot uw gegevens", "Apps with access to your data") }
    func revokeApp(_ name: String) -> String { pick("Toegang van \(name) intrekken", "Revoke access for \(name)") }
    var revokeAppNote: String {
        pick(
            "Intrekken werkt meteen: de app kan daarna niets meer ophalen en moet u opnieuw om toestemming vragen.",
            "Revoking works at once: the app can collect nothing more and must ask for your consent again.")
    }
    func appRevoked(_ name: String) -> String {
        pick("De toegang van \(name) is ingetrokken.", "The access of \(name) has been revoked.")
    }

    // My providers
    var providerColumn: String { pick("Zorgaanbieder", "Care provider") }
    var permissionColumn: String { pick("Toestemming", "Permission") }
    var providersCaption: String { pick("Uw toestemmingen voor zorgaanbieders", "Your permissions for care providers") }
    var noProviderConsents: String {
        pick("U heeft nog geen zorgaanbieder toestemming gegeven.", "You have not given any care provider permission yet.")
    }
    func permission(_ action: ConsentAction) -> String {
        switch action {
        case .push: pick("mag samenvattingen naar uw dossier sturen", "may send summaries to your record")
        case .collect: pick("uw gegevens mogen daar worden opgehaald", "your data may be collected from there")
        case .share: pick("mag gegevens van u ontvangen", "may receive data from you")
        case .read: pick("mag uw gegevens inzien", "may view your data")
        }
    }
    var grantProviderTitle: String { pick("Een zorgaanbieder toestemming geven", "Give a care provider permission") }
    var providerLabel: String { pick("Zorgaanbieder", "Care provider") }
    var permissionLegend: String { pick("Wat mag deze zorgaanbieder?", "What may this care provider do?") }
    var grantButton: String { pick("Toestemming geven", "Give permission") }
    var noProvidersKnown: String {
        pick("Er zijn geen zorgaanbieders bekend om uit te kiezen.", "There are no known care providers to choose from.")
    }
    func revokeProvider(_ name: String) -> String { pick("Toestemming voor \(name) intrekken", "Revoke permission for \(name)") }
    func providerGranted(_ name: String) -> String { pick("\(name) heeft nu uw toestemming.", "\(name) now has your permission.") }
    func providerRevoked(_ name: String) -> String {
        pick("Uw toestemming voor \(name) is ingetrokken.", "Your permission for \(name) has been revoked.")
    }
    var choosePermission: String { pick("Kies een zorgaanbieder en wat die mag.", "Choose a care provider and what it may do.") }

    // My members
    var memberColumn: String { pick("Lid", "Member") }
    var noMembers: String { pick("Uw zorgnet heeft geen leden.", "Your care community has no members.") }
    var nothingShared: String { pick("niets", "nothing") }
    var professional: String { pick("zorgverlener", "care professional") }
    var relative: String { pick("naaste", "family or friend") }
    func memberLegend(_ name: String) -> String { pick("Wat mag \(name) zien?", "What may \(name) see?") }
    func memberSaved(_ name: String) -> String {
        pick("Wat \(name) mag zien is opgeslagen.", "What \(name) may see has been saved.")
    }

    // Access log
    var accessLogIntro: String {
        pick(
            "Elke keer dat een app of zorgaanbieder uw gegevens ophaalt, wordt dat vastgelegd. Hier staan de meest recente keren, de nieuwste eerst.",
            "Every time an app or care provider collects your data, it is recorded. Here are the most recent times, newest first.")
    }
    var accessLogEmpty: String { pick("Niemand heeft uw gegevens opgehaald.", "Nobody has collected your data.") }
    var accessLogNothingMatches: String {
        pick("Er is niets vastgelegd dat bij deze keuze past.", "Nothing recorded matches this choice.")
    }
    var filterLegend: String { pick("Kies een periode of wie", "Choose a period or who") }
    var filterFrom: String { pick("Vanaf", "From") }
    var filterTo: String { pick("Tot en met", "Up to and including") }
    var filterActor: String { pick("Wie", "Who") }
    var filterEveryone: String { pick("Iedereen", "Everyone") }
    var filterApply: String { pick("Toon", "Show") }
    func dateNotUnderstood(_ text: String) -> String {
        pick("Deze datum begrijpen we niet: \(text). Gebruik jjjj-mm-dd.", "This date was not understood: \(text). Use yyyy-mm-dd.")
    }
    var accessLogCaption: String { pick("Toegang tot uw gegevens", "Access to your data") }
    var whenColumn: String { pick("Wanneer", "When") }
    var whatColumn: String { pick("Wat er gebeurde", "What happened") }
}

// The access log in plain words.
extension PortalText {
    /// "uw medicatie en allergieën", "your medication and allergies".
    func yourData(_ data: AccessedData) -> String {
        let names: [String] =
            switch data {
            case .categories(let categories): categories.map { Self.lowercasingFirst(front.category($0)) }
            case .measurements: [pick("metingen en uitslagen", "measurements and results")]
            case .consents: [pick("toestemmingen en wilsverklaringen", "consents and directives")]
            case .other: [pick("gegevens", "data")]
            }
        return pick("uw ", "your ") + list(names)
    }

    /// An unnamed party, at the start of a sentence.
    var unknownParty: String { pick("Een onbekende partij", "An unknown party") }

    /// The party collected the data, with the patient's consent (`consentDays`: "1 maart").
    func collected(_ party: String, day: String, time: String, data: String, consentDays: [String], partly: Bool) -> String {
        let consent = consentClause(consentDays)
        if partly {
            return pick(
                "\(party) heeft op \(day) om \(time) een deel van \(data) opgehaald\(consent); de rest viel niet onder uw toestemming en is niet gegeven.",
                "\(party) collected part of \(data) on \(day), \(time)\(consent); the rest was not covered by your consent and was not given.")
        }
        return pick("\(party) heeft op \(day) om \(time) \(data) opgehaald\(consent).", "\(party) collected \(data) on \(day), \(time)\(consent).")
    }

    /// A member of the PZC opened the record in the members' view and saw what the consent permits.
    func viewed(_ member: String, day: String, time: String, consentDays: [String], partly: Bool) -> String {
        let consent = consentClause(consentDays)
        if partly {
            return pick(
                "\(member) heeft op \(day) om \(time) een deel van uw dossier bekeken\(consent); de rest viel niet onder uw toestemming en is niet getoond.",
                "\(member) viewed part of your record on \(day), \(time)\(consent); the rest was not covered by your consent and was not shown.")
        }
        return pick("\(member) heeft op \(day) om \(time) uw dossier bekeken\(consent).", "\(member) viewed your record on \(day), \(time)\(consent).")
    }

    /// A care provider sent a summary into the record (EPD push).
    func sentSummary(_ party: String, day: String, time: String, consentDays: [String]) -> String {
        let consent = consentClause(consentDays)
        return pick(
            "\(party) heeft op \(day) om \(time) een samenvatting naar uw dossier gestuurd\(consent).",
            "\(party) sent a summary to your record on \(day), \(time)\(consent).")
    }

    /// An app stored the patient's own measurements in the record.
    func storedMeasurements(_ party: String, day: String, time: String, consentDays: [String]) -> String {
        let consent = consentClause(consentDays)
        return pick(
            "\(party) heeft op \(day) om \(time) uw eigen metingen in uw dossier gezet\(consent).",
            "\(party) stored your own measurements in your record on \(day), \(time)\(consent).")
    }

    /// Someone tried to put data into the record and was refused.
    func refusedToRecord(_ party: String, day: String, time: String) -> String {
        pick(
            "\(party) wilde op \(day) om \(time) gegevens in uw dossier zetten, maar mocht dat niet: daarvoor had u geen toestemming gegeven.",
            "\(party) tried to put data into your record on \(day), \(time), but was not allowed: you had not given consent for that.")
    }

    /// The party asked and got nothing: no consent allowed it.
    func refused(_ party: String, day: String, time: String, data: String) -> String {
        pick(
            "\(party) vroeg op \(day) om \(time) om \(data), maar kreeg niets: daarvoor had u geen toestemming gegeven.",
            "\(party) asked for \(data) on \(day), \(time), but received nothing: you had not given consent for that.")
    }

    private func consentClause(_ days: [String]) -> String {
        guard !days.isEmpty else { return "" }
        return days.count == 1
            ? pick(", met uw toestemming van \(days[0])", ", with your consent of \(days[0])")
            : pick(", met uw toestemmingen van \(list(days))", ", with your consents of \(list(days))")
    }

    /// "a", "a en b", "a, b en c".
    func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + pick(" en ", " and ") + last
    }

    static func lowercasingFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
