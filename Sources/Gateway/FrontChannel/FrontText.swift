import Auth
import Consent
import HTTPTypes
import Hummingbird

/// The languages of the front channel pages.
enum FrontLanguage: String, Sendable, CaseIterable {
    case nl, en

    static let cookieName = "__Host-zorgnet-lang"

    var other: FrontLanguage { self == .nl ? .en : .nl }
    var nativeName: String { self == .nl ? "Nederlands" : "English" }

    /// The language cookie set by the switch link wins; then the first supported language in
    /// `Accept-Language` (quality order); Dutch otherwise.
    static func of(_ request: Request) -> FrontLanguage {
        if let chosen = request.cookies[cookieName].flatMap({ FrontLanguage(rawValue: $0.value) }) { return chosen }
        let header = request.headers[.acceptLanguage] ?? ""
        let ranked = header.split(separator: ",").enumerated().compactMap { index, item -> (FrontLanguage, Double, Int)? in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let tag = parts.first, let language = FrontLanguage(rawValue: String(tag.prefix(2))) else { return nil }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0 ? (language, quality, index) : nil
        }
        return ranked.sorted { ($0.1, -$0.2) > ($1.1, -$1.2) }.first?.0 ?? .nl
    }
}

/// Every text the front channel shows, in Dutch and English.
struct FrontText: Sendable {
    let language: FrontLanguage

    private func pick(_ dutch: String, _ english: String) -> String { language == .nl ? dutch : english }

    // Layout
    var skipToContent: String { pick("Naar de inhoud", "Skip to content") }
    var languageNavigation: String { pick("Taal", "Language") }
    func loggedInAs(_ name: String) -> String { pick("Ingelogd als \(name)", "Logged in as \(name)") }
    var logout: String { pick("Uitloggen", "Log out") }

    // Errors
    var errorTitle: String { pick("Dit lukte niet", "This did not work") }
    func traceID(_ id: String) -> String { pick("Trace-ID: \(id)", "Trace ID: \(id)") }
    var notFound: String { pick("Deze pagina bestaat niet.", "This page does not exist.") }
    var technicalError: String { pick("Technische storing. Probeer het later opnieuw.", "Technical failure. Please try again later.") }
    var csrfRejected: String {
        pick(
            "Dit formulier is verlopen of kwam niet van deze website. Er is niets gewijzigd. Begin opnieuw.",
            "This form has expired or did not come from this website. Nothing was changed. Please start again.")
    }

    // Home
    var homeTitle: String { "Zorgnet Gateway" }
    var homeIntro: String {
        pick(
            "Deze gateway verbindt uw persoonlijk zorgnet met de zorg.",
            "This gateway connects your personal care community with Dutch care.")
    }
    var homeLogin: String { pick("Inloggen", "Log in") }

    // Login
    var loginTitle: String { pick("Inloggen", "Log in") }
    var noLoginMethod: String {
        pick(
            "Er is geen inlogmethode ingesteld. Inloggen is op deze gateway nu niet mogelijk.",
            "No login method is configured. Logging in on this gateway is not possible now.")
    }
    var standInNote: String {
        pick(
            "Dit is een testomgeving: de inlogmethoden hieronder zijn nabootsingen, geen echte DigiD of UZI-pas.",
            "This is a test environment: the login methods below are stand-ins, not the real DigiD or UZI pass.")
    }
    func providerTitle(_ provider: any LoginProvider) -> String {
        switch provider.audience {
        case .citizen: pick("Inloggen met DigiD (nabootsing)", "Log in with DigiD (stand-in)")
        case .professional: pick("Inloggen als zorgverlener met UZI-pas (nabootsing)", "Log in as a professional with a UZI pass (stand-in)")
        }
    }
    func choiceLegend(_ audience: LoginAudience) -> String {
        switch audience {
        case .citizen: pick("Kies een demopatiënt", "Choose a demo patient")
        case .professional: pick("Kies een geregistreerde zorgverlener", "Choose a registered professional")
        }
    }
    var bsnLabel: String { pick("Of typ een test-BSN", "Or type a test BSN") }
    var bsnHint: String { pick("Negen cijfers, bijvoorbeeld 999911120.", "Nine digits, for example 999911120.") }
    var noChoices: String { pick("Er is niemand om uit te kiezen.", "There is nobody to choose from.") }
    var loginButton: String { pick("Inloggen", "Log in") }
    var continueButton: String { pick("Verder", "Continue") }
    func loginFailure(_ failure: LoginFailure) -> String {
        switch failure {
        case .nothingChosen: pick("Kies een persoon of typ een BSN.", "Choose a person or type a BSN.")
        case .malformedBSN: pick("Een BSN bestaat uit negen cijfers.", "A BSN has nine digits.")
        case .bsnFailsElevenTest: pick("Dit is geen geldig BSN (de elfproef klopt niet).", "This is not a valid BSN (it fails the eleven-test).")
        case .unknownCitizen: pick("Bij dit BSN hoort geen persoonlijk zorgnet.", "No personal care community belongs to this BSN.")
        case .unknownProfessional, .unknownChoice: pick("Deze keuze bestaat niet (meer).", "This choice does not exist (any more).")
        }
    }

    // Second factor
    var secondFactorTitle: String { pick("Controlecode", "Verification code") }
    var enrolTitle: String { pick("Tweede stap instellen", "Set up the second step") }
    var enrolIntro: String {
        pick(
            "U logt voor het eerst in. Scan de QR-code met een authenticator-app (zoals FreeOTP of Google Authenticator), of typ de sleutel over. Vul daarna de code van zes cijfers in.",
            "This is your first login. Scan the QR code with an authenticator app (such as FreeOTP or Google Authenticator), or type in the key. Then enter the six-digit code.")
    }
    var qrCaption: String { pick("QR-code voor uw authenticator-app", "QR code for your authenticator app") }
    var secretLabel: String { pick("Sleutel om over te typen:", "Key to type in:") }
    var codeIntro: String { pick("Vul de code van zes cijfers uit uw authenticator-app in.", "Enter the six-digit code from your authenticator app.") }
    var codeLabel: String { pick("Code", "Code") }
    var confirmButton: String { pick("Bevestigen", "Confirm") }
    var wrongCode: String { pick("Deze code klopt niet of is al gebruikt. Probeer de volgende code.", "This code is wrong or was already used. Try the next code.") }
    var tooManyAttempts: String { pick("Te veel onjuiste codes. Log opnieuw in.", "Too many wrong codes. Please log in again.") }
    func accountLocked(until time: String) -> String {
        pick(
            "Te vaak een onjuiste code voor dit account. Probeer het na \(time) opnieuw.",
            "Too many wrong codes for this account. Try again after \(time).")
    }

    // Authorization
    var landingTitle: String { pick("Toegang voor een app", "Access for an app") }
    func landingText(_ organisation: String) -> String {
        pick(
            "U bent nu bij Zorgnet Gateway, de aanbieder van uw persoonlijk zorgnet. \(organisation) vraagt om uw gezondheidsgegevens op te halen. Log in om te kiezen of u dat toestaat.",
            "You are now at Zorgnet Gateway, the provider of your personal care community. \(organisation) asks to collect your health data. Log in to choose whether you allow this.")
    }
    var landingLoggedIn: String { pick("U bent al ingelogd.", "You are already logged in.") }
    var cancelButton: String { pick("Annuleren en terug naar de app", "Cancel and return to the app") }
    var authorizeErrorTitle: String { pick("Deze aanvraag kan niet worden verwerkt", "This request cannot be processed") }
    var unknownClient: String {
        pick(
            "De app die u hierheen stuurde is bij ons niet bekend of niet actief. U wordt niet teruggestuurd.",
            "The app that sent you here is not known to us or not active. You are not sent back.")
    }
    var invalidRedirect: String {
        pick(
            "De terugkeerlocatie van de app is niet toegestaan (die moet https zijn en bij de app zelf horen). U wordt niet teruggestuurd.",
            "The app's return address is not allowed (it must be https on the app's own host). You are not sent back.")
    }
    var noPendingAuthorization: String {
        pick(
            "Er loopt geen aanvraag van een app. Begin opnieuw vanuit uw app.",
            "No app request is in progress. Please start again from your app.")
    }
    var onlyPatients: String {
        pick(
            "Alleen de patiënt zelf kan een app toegang geven. Log uit en log in met DigiD.",
            "Only the patient can give an app access. Log out and log in with DigiD.")
    }

    // Consent
    var consentTitle: String { pick("Toestemming geven", "Give consent") }
    func consentIntro(_ organisation: String) -> String {
        pick("\(organisation) wil deze gegevens uit uw persoonlijk zorgnet ophalen:", "\(organisation) wants to collect this data from your personal care community:")
    }
    func consentStatement(_ organisation: String) -> String {
        pick(
            "Ik geef toestemming dat Zorgnet Gateway de hierboven genoemde gegevens beschikbaar stelt aan \(organisation), voor de periode die ik hieronder kies. Ik kan deze toestemming altijd intrekken.",
            "I consent to Zorgnet Gateway making the data listed above available to \(organisation), for the period I choose below. I can always withdraw this consent.")
    }
    var periodLegend: String { pick("Hoe lang geldt uw toestemming?", "How long does your consent last?") }
    func period(_ duration: ConsentDuration) -> String {
        switch duration {
        case .once: pick("Alleen deze keer", "This time only")
        case .threeMonths: pick("3 maanden", "3 months")
        case .oneYear: pick("1 jaar", "1 year")
        case .untilRevoked: pick("Tot ik het intrek", "Until I revoke it")
        }
    }
    var allowButton: String { pick("Toestaan", "Allow") }
    var denyButton: String { pick("Niet toestaan", "Deny") }
    var choosePeriod: String { pick("Kies hoe lang uw toestemming geldt.", "Choose how long your consent lasts.") }

    // Logout
    var loggedOutTitle: String { pick("U bent uitgelogd", "You are logged out") }
    var loggedOutText: String { pick("U kunt dit venster sluiten.", "You may close this window.") }

    /// The patient-facing name of a data category: the Dutch display names of the Consent module, and
    /// English ones here.
    func category(_ category: DataCategory) -> String {
        guard language == .en else { return category.display }
        // A category added later falls back to its Dutch name rather than breaking the page.
        return Self.englishCategories[category] ?? category.display
    }

    private static let englishCategories: [DataCategory: String] = [
        .patientAndContacts: "Personal details and contacts", .payer: "Insurance",
        .directives: "Advance and treatment directives", .functionalStatus: "Functional or mental status",
        .problems: "Problems", .socialHistory: "Lifestyle and living situation", .nutrition: "Nutrition advice",
        .alerts: "Alerts", .allergies: "Allergies", .medication: "Medication", .medicalDevices: "Medical devices",
        .vaccinations: "Vaccinations", .vitalSigns: "Vital signs", .labResults: "Laboratory results",
        .procedures: "Procedures", .encounters: "Contacts with care providers", .plannedCare: "Planned care",
        .documents: "Documents", .selfMeasurements: "Self-measurements", .supporting: "Care providers and organisations",
        .everything: "All data",
    ]
}
