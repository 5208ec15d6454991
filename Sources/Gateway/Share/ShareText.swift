/// The words of the exchange page and the share flow, in Dutch and English.
struct ShareText: Sendable {
    let language: FrontLanguage

    private func pick(_ nl: String, _ en: String) -> String { language == .nl ? nl : en }

    // MARK: - Exchange page

    var exchangeIntro: String {
        pick("Haal uw gegevens op bij een zorgverlener, of stuur uw eigen metingen naar een zorgverlener.",
             "Collect your data from a care provider, or send your own measurements to a care provider.")
    }
    var noEndpoints: String {
        pick("Er zijn nog geen zorgverleners ingesteld waarmee deze omgeving gegevens kan uitwisselen.",
             "No care providers are set up yet with which this service can exchange data.")
    }
    var exchangeCaption: String { pick("Zorgverleners waarmee u gegevens kunt uitwisselen", "Care providers you can exchange data with") }
    var providerColumn: String { pick("Zorgverlener", "Care provider") }
    var actionsColumn: String { pick("Wat u kunt doen", "What you can do") }
    var shareLink: String { pick("Metingen sturen", "Send measurements") }
    func shareWith(_ provider: String) -> String { pick("Metingen sturen naar \(provider)", "Send measurements to \(provider)") }

    // MARK: - Choosing

    var chooseTitle: String { pick("Metingen sturen", "Send measurements") }
    func chooseIntro(_ provider: String) -> String {
        pick("Kies welke van uw eigen metingen u naar \(provider) wilt sturen. Daarna bevestigt u dit bij \(provider).",
             "Choose which of your own measurements to send to \(provider). You then confirm this at \(provider).")
    }
    var measurementsLegend: String { pick("Uw metingen", "Your measurements") }
    var noMeasurements: String { pick("U heeft geen eigen metingen die u kunt sturen.", "You have no measurements of your own to send.") }
    func continueButton(_ provider: String) -> String { pick("Verder naar \(provider) om te bevestigen", "Continue to \(provider) to confirm") }
    var backToExchange: String { pick("Terug naar gegevens uitwisselen", "Back to exchanging data") }

    // MARK: - Result

    var resultTitle: String { pick("Metingen verstuurd", "Measurements sent") }
    func resultIntro(_ provider: String) -> String {
        pick("Dit is per meting het antwoord van \(provider).", "This is the answer of \(provider) for each measurement.")
    }
    var resultCaption: String { pick("Antwoord per meting", "Answer per measurement") }
    var measurementColumn: String { pick("Meting", "Measurement") }
    var answerColumn: String { pick("Antwoord", "Answer") }

    func answer(_ outcome: ShareEntryOutcome) -> String {
        if outcome.accepted { return pick("ontvangen", "received") }
        switch outcome.status {
        case 403: return pick("geweigerd: niet toegestaan (\(outcome.status))", "refused: not permitted (\(outcome.status))")
        case 422: return pick("geweigerd: de meting voldoet niet aan de eisen van de zorgverlener (\(outcome.status))",
                              "refused: the measurement does not meet the provider's requirements (\(outcome.status))")
        default: return pick("geweigerd (\(outcome.status))", "refused (\(outcome.status))")
        }
    }

    func message(_ error: ShareError) -> String {
        switch error {
        case .nothingSelected: pick("Kies ten minste één meting.", "Choose at least one measurement.")
        case .notShareable: pick("Deze keuze kan niet worden verstuurd. Er is niets verstuurd.", "This choice cannot be sent. Nothing was sent.")
        case .unknownProvider: pick("Metingen sturen naar deze zorgverlener is niet ingesteld.", "Sending measurements to this care provider is not set up.")
        case .send: pick("De zorgverlener kon niet veilig worden bereikt. Er is niets verstuurd.",
                         "The care provider could not be reached securely. Nothing was sent.")
        case .malformedResponse:
            pick("Het antwoord van de zorgverlener is onleesbaar; of de metingen zijn ontvangen, is onbekend.",
                 "The care provider's answer cannot be read; whether the measurements arrived is unknown.")
        }
    }
}
