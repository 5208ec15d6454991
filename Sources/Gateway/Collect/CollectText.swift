import Exchange
import Store

/// The collect flow's words, in Dutch and English. Kept apart from the portal's texts so the
/// providers page needs only its button.
struct CollectText: Sendable {
    let language: FrontLanguage

    private func pick(_ nl: String, _ en: String) -> String { language == .nl ? nl : en }

    var resultTitle: String { pick("Gegevens opgehaald", "Data collected") }
    func resultIntro(_ provider: String) -> String {
        pick("Dit is wat \(provider) heeft gestuurd en wat in uw dossier is opgenomen.", "This is what \(provider) sent and what was added to your record.")
    }
    var queryCaption: String { pick("Uitkomst per onderdeel van de Basisgegevensset Zorg", "Outcome per part of the Basic Health Data Set") }
    var partColumn: String { pick("Onderdeel", "Part") }
    var outcomeColumn: String { pick("Uitkomst", "Outcome") }
    var backToProviders: String { pick("Terug naar mijn zorgverleners", "Back to my care providers") }

    func outcome(_ outcome: CollectQueryOutcome) -> String {
        switch outcome.kind {
        case .stored where outcome.resources == 0 && outcome.refused == 0: return pick("geen gegevens", "no data")
        case .stored:
            let refused = outcome.refused == 0 ? "" : pick(", \(outcome.refused) geweigerd", ", \(outcome.refused) refused")
            return pick("\(outcome.resources) opgenomen", "\(outcome.resources) added") + refused
        case .failed:
            return pick("mislukt; eerder opgehaalde gegevens blijven staan", "failed; data collected earlier is kept")
        }
    }

    func message(_ error: CollectError) -> String {
        switch error {
        case .unknownState, .replayedState:
            pick("Deze terugkeer van de zorgverlener hoort niet bij een verzoek uit deze browser, of is al gebruikt. Er is niets opgehaald.",
                 "This return from the care provider does not belong to a request from this browser, or was used already. Nothing was collected.")
        case .expiredState: pick("Het verzoek is verlopen. Begin opnieuw.", "The request expired. Please start again.")
        case .providerRefused: pick("De zorgverlener heeft het ophalen niet toegestaan.", "The care provider did not allow the collection.")
        case .tokenExchange(.oauthError):
            pick("De zorgverlener gaf geen toegang tot uw gegevens. Er is niets opgehaald. Begin opnieuw.",
                 "The care provider did not grant access to your data. Nothing was collected. Please start again.")
        case .tokenExchange(.timeout):
            pick("De zorgverlener antwoordde niet op tijd. Er is niets opgehaald. Probeer het later opnieuw.",
                 "The care provider did not answer in time. Nothing was collected. Please try again later.")
        case .tokenExchange: pick("De zorgverlener kon niet veilig worden bereikt. Er is niets opgehaald.", "The care provider could not be reached securely. Nothing was collected.")
        case .noClientConfigured, .unknownProvider, .endpoint, .noStandingAuthorization:
            pick("Ophalen bij deze zorgverlener is niet ingesteld.", "Collecting from this care provider is not set up.")
        }
    }
}
