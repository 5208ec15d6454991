// STU3 search parameters of the medication and medical-device resources (BgZ queries 14-17, 28).
// Names and paths follow the STU3 (3.0.2) search parameter registry; `MedicationDispense.category`
// is the Nictiz SearchParameter `Medications-category`.
extension SearchParameterRegistry {
    static func medicationParameters() -> ParameterList {
        var p = ParameterList()
        p.token("code", "code")
        p.token("container", "package.container")
        p.token("form", "form")
        p.reference("ingredient", "ingredient.itemReference", to: ["Medication", "Substance"])
        p.token("ingredient-code", "ingredient.itemCodeableConcept")
        p.reference("manufacturer", "manufacturer", to: ["Organization"])
        p.token("over-the-counter", "isOverTheCounter")
        p.reference("package-item", "package.content.itemReference", to: ["Medication"])
        p.token("package-item-code", "package.content.itemCodeableConcept")
        p.token("status", "status")
        return p
    }

    static func medicationStatementParameters() -> ParameterList {
        var p = ParameterList()
        p.token("category", "category")
        p.token("code", "medicationCodeableConcept")
        p.reference("context", "context", to: ["Encounter", "EpisodeOfCare"])
        p.date("effective", "effective[x]")
        p.token("identifier", "identifier")
        p.reference("medication", "medicationReference", to: ["Medication"])
        p.reference("part-of", "partOf", to: ["MedicationAdministration", "MedicationDispense",
            "MedicationStatement", "Observation", "Procedure"])
        p.patient("subject")
        p.reference("source", "informationSource", to: ["Organization", "Patient", "Practitioner", "RelatedPerson"])
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Group", "Patient"])
        return p
    }

    static func medicationRequestParameters() -> ParameterList {
        var p = ParameterList()
        p.date("authoredon", "authoredOn")
        p.token("category", "category")
        p.token("code", "medicationCodeableConcept")
        p.reference("context", "context", to: ["Encounter", "EpisodeOfCare"])
        p.date("date", "dosageInstruction.timing.event")
        p.token("identifier", "identifier")
        p.reference("intended-dispenser", "dispenseRequest.performer", to: ["Organization"])
        p.token("intent", "intent")
        p.reference("medication", "medicationReference", to: ["Medication"])
        p.patient("subject")
        p.token("priority", "priority")
        p.reference("requester", "requester.agent", to: ["Device", "Organization", "Patient", "Practitioner",
            "RelatedPerson"])
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Group", "Patient"])
        return p
    }

    static func medicationDispenseParameters() -> ParameterList {
        var p = ParameterList()
        p.token("category", "category")
        p.token("code", "medicationCodeableConcept")
        p.reference("context", "context", to: ["Encounter", "EpisodeOfCare"])
        p.reference("destination", "destination", to: ["Location"])
        p.token("identifier", "identifier")
        p.reference("medication", "medicationReference", to: ["Medication"])
        p.patient("subject")
        p.reference("performer", "performer.actor", to: ["Device", "Organization", "Patient", "Practitioner",
            "RelatedPerson"])
        p.reference("prescription", "authorizingPrescription", to: ["MedicationRequest"])
        p.reference("receiver", "receiver", to: ["Patient", "Practitioner"])
        p.reference("responsibleparty", "substitution.responsibleParty", to: ["Practitioner"])
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Group", "Patient"])
        p.token("type", "type")
        p.date("whenhandedover", "whenHandedOver")
        p.date("whenprepared", "whenPrepared")
        return p
    }

    static func deviceParameters() -> ParameterList {
        var p = ParameterList()
        p.string("device-name", "udi.name", "type.text", "type.coding.display")
        p.token("identifier", "identifier")
        p.reference("location", "location", to: ["Location"])
        p.string("manufacturer", "manufacturer")
        p.string("model", "model")
        p.reference("organization", "owner", to: ["Organization"])
        p.patient("patient")
        p.token("status", "status")
        p.token("type", "type")
        p.string("udi-carrier", "udi.carrierHRF")
        p.string("udi-di", "udi.deviceIdentifier")
        p.uri("url", "url")
        return p
    }

    static func deviceUseStatementParameters() -> ParameterList {
        var p = ParameterList()
        p.reference("device", "device", to: ["Device"])
        p.token("identifier", "identifier")
        p.patient("subject")
        p.reference("subject", "subject", to: ["Group", "Patient"])
        return p
    }

    static func deviceRequestParameters() -> ParameterList {
        var p = ParameterList()
        p.date("authored-on", "authoredOn")
        p.reference("based-on", "basedOn", to: [])
        p.token("code", "codeCodeableConcept")
        p.reference("definition", "definition", to: ["ActivityDefinition", "PlanDefinition"])
        p.reference("device", "codeReference", to: ["Device"])
        p.reference("encounter", "context", to: ["Encounter"])
        p.date("event-date", "occurrenceDateTime", "occurrencePeriod")
        p.token("group-identifier", "groupIdentifier")
        p.token("identifier", "identifier")
        p.token("intent", "intent")
        p.patient("subject")
        p.reference("performer", "performer", to: ["Device", "HealthcareService", "Organization", "Patient",
            "Practitioner", "RelatedPerson"])
        p.reference("priorrequest", "priorRequest", to: [])
        p.reference("requester", "requester.agent", to: ["Device", "Organization", "Practitioner"])
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Device", "Group", "Location", "Patient"])
        return p
    }
}
