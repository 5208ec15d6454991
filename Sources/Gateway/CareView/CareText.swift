/// The texts of the members' view of a patient's record (``CareRoutes``), in Dutch and English.
struct CareText: Sendable {
    let front: FrontText

    init(language: FrontLanguage) {
        front = FrontText(language: language)
    }

    private func pick(_ dutch: String, _ english: String) -> String { front.language == .nl ? dutch : english }

    var patientsTitle: String { pick("Mijn patiënten", "My patients") }
    var patientsIntro: String {
        pick(
            "De persoonlijke zorgnetwerken waarvan u lid bent. U ziet van elke patiënt alleen wat die patiënt u laat zien.",
            "The personal care communities you are a member of. Of each patient you see only what that patient lets you see.")
    }
    var noPatients: String {
        pick("U bent van geen enkel zorgnetwerk lid.", "You are not a member of any care community.")
    }
    var patientsCaption: String { pick("Zorgnetwerken waarvan u lid bent", "Care communities you are a member of") }
    var patientColumn: String { pick("Patiënt", "Patient") }
    var communityColumn: String { pick("Zorgnetwerk", "Care community") }
    func recordTitle(_ name: String) -> String { pick("Dossier van \(name)", "Record of \(name)") }
    var nothingShared: String {
        pick(
            "Deze patiënt deelt (nog) geen gegevens met u. De patiënt kiest in het portaal welke gegevens elk lid ziet.",
            "This patient shares no data with you (yet). The patient chooses in the portal which data each member sees.")
    }
    func withheld(_ count: Int) -> String {
        pick(
            "\(count) gegeven(s) zijn er wel, maar de patiënt deelt ze niet met u.",
            "\(count) item(s) exist that the patient does not share with you.")
    }
    func truncated(_ shown: Int, _ total: Int) -> String {
        pick("\(shown) van de \(total) getoond.", "\(shown) of \(total) shown.")
    }
    var whatColumn: String { pick("Wat", "What") }
    var whenColumn: String { pick("Wanneer", "When") }
    var notAMember: String {
        pick("U bent geen lid van het zorgnetwerk van deze patiënt.", "You are not a member of this patient's care community.")
    }
    var onlyMembers: String {
        pick(
            "Deze pagina is voor leden van een zorgnetwerk. Log uit en log in als zorgverlener.",
            "This page is for members of a care community. Log out and log in as a professional.")
    }
    var backToPatients: String { pick("Terug naar mijn patiënten", "Back to my patients") }
}
