// STU3 search parameters of planned care (BgZ queries 25-28), documents (PDF/A exchange) and
// questionnaire answers. Names and paths follow the STU3 (3.0.2) search parameter registry.
extension SearchParameterRegistry {
    static func procedureRequestParameters() -> ParameterList {
        var p = ParameterList()
        p.date("authored", "authoredOn")
        p.reference("based-on", "basedOn", to: [])
        p.token("body-site", "bodySite")
        p.token("code", "code")
        p.reference("context", "context", to: ["Encounter", "EpisodeOfCare"])
        p.reference("definition", "definition", to: ["ActivityDefinition", "PlanDefinition"])
        p.reference("encounter", "context", to: ["Encounter"])
        p.token("identifier", "identifier")
        p.token("intent", "intent")
        p.date("occurrence", "occurrence[x]")
        p.patient("subject")
        p.reference("performer", "performer", to: ["Device", "HealthcareService", "Organization", "Patient",
            "Practitioner", "RelatedPerson"])
        p.token("performer-type", "performerType")
        p.token("priority", "priority")
        p.reference("replaces", "replaces", to: [])
        p.reference("requester", "requester.agent", to: ["Device", "Organization", "Practitioner"])
        p.token("requisition", "requisition")
        p.reference("specimen", "specimen", to: ["Specimen"])
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Device", "Group", "Location", "Patient"])
        return p
    }

    static func immunizationRecommendationParameters() -> ParameterList {
        var p = ParameterList()
        p.date("date", "recommendation.date")
        p.number("dose-number", "recommendation.doseNumber")
        p.number("dose-sequence", "recommendation.protocol.doseSequence")
        p.token("identifier", "identifier")
        p.reference("information", "recommendation.supportingPatientInformation",
            to: ["AllergyIntolerance", "Observation"])
        p.patient("patient")
        p.token("status", "recommendation.forecastStatus")
        p.reference("support", "recommendation.supportingImmunization", to: ["Immunization"])
        p.token("target-disease", "recommendation.targetDisease")
        p.token("vaccine-type", "recommendation.vaccineCode")
        return p
    }

    static func appointmentParameters() -> ParameterList {
        var p = ParameterList()
        p.reference("actor", "participant.actor", to: ["Device", "HealthcareService", "Location", "Patient",
            "Practitioner", "RelatedPerson"])
        p.token("appointment-type", "appointmentType")
        p.date("date", "start")
        p.token("identifier", "identifier")
        p.reference("incomingreferral", "incomingReferral", to: ["ReferralRequest"])
        p.reference("location", "participant.actor", to: ["Location"])
        p.token("part-status", "participant.status")
        p.patient("participant.actor")
        p.reference("practitioner", "participant.actor", to: ["Practitioner"])
        p.token("service-type", "serviceType")
        p.token("status", "status")
        return p
    }

    static func documentReferenceParameters() -> ParameterList {
        var p = ParameterList()
        p.reference("authenticator", "authenticator", to: ["Organization", "Practitioner"])
        p.reference("author", "author", to: ["Device", "Organization", "Patient", "Practitioner", "RelatedPerson"])
        p.token("class", "class")
        p.date("created", "created")
        p.reference("custodian", "custodian", to: ["Organization"])
        p.string("description", "description")
        p.reference("encounter", "context.encounter", to: ["Encounter"])
        p.token("event", "context.event")
        p.token("facility", "context.facilityType")
        p.token("format", "content.format")
        p.token("identifier", "masterIdentifier", "identifier")
        p.date("indexed", "indexed")
        p.token("language", "content.attachment.language")
        p.uri("location", "content.attachment.url")
        p.patient("subject")
        p.date("period", "context.period")
        p.token("related-id", "context.related.identifier")
        p.reference("related-ref", "context.related.ref", to: [])
        p.reference("relatesto", "relatesTo.target", to: ["DocumentReference"])
        p.token("relation", "relatesTo.code")
        p.token("securitylabel", "securityLabel")
        p.token("setting", "context.practiceSetting")
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Device", "Group", "Patient", "Practitioner"])
        p.token("type", "type")
        return p
    }

    static func documentManifestParameters() -> ParameterList {
        var p = ParameterList()
        p.reference("author", "author", to: ["Device", "Organization", "Patient", "Practitioner", "RelatedPerson"])
        p.reference("content-ref", "content.pReference", to: [])
        p.date("created", "created")
        p.string("description", "description")
        p.token("identifier", "masterIdentifier", "identifier")
        p.patient("subject")
        p.reference("recipient", "recipient", to: ["Organization", "Patient", "Practitioner", "RelatedPerson"])
        p.token("related-id", "related.identifier")
        p.reference("related-ref", "related.ref", to: [])
        p.uri("source", "source")
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Device", "Group", "Patient", "Practitioner"])
        p.token("type", "type")
        return p
    }

    static func questionnaireResponseParameters() -> ParameterList {
        var p = ParameterList()
        p.reference("author", "author", to: ["Device", "Organization", "Patient", "Practitioner", "RelatedPerson"])
        p.date("authored", "authored")
        p.reference("based-on", "basedOn", to: ["CarePlan", "ProcedureRequest", "ReferralRequest"])
        p.reference("context", "context", to: ["Encounter", "EpisodeOfCare"])
        p.token("identifier", "identifier")
        p.reference("parent", "parent", to: ["Observation", "Procedure"])
        p.patient("subject")
        p.reference("questionnaire", "questionnaire", to: ["Questionnaire"])
        p.reference("source", "source", to: ["Patient", "Practitioner", "RelatedPerson"])
        p.token("status", "status")
        p.reference("subject", "subject", to: [])
        return p
    }
}
