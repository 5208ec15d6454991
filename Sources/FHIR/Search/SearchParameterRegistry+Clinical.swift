// STU3 search parameters of the clinical resources behind the BgZ: observations, problems,
// allergies, alerts, nutrition, procedures, contacts, vaccinations, specimens and care teams.
// Names and paths follow the STU3 (3.0.2) search parameter registry.
extension SearchParameterRegistry {
    static func observationParameters() -> ParameterList {
        var p = ParameterList()
        p.reference("based-on", "basedOn", to: ["CarePlan", "DeviceRequest", "ImmunizationRecommendation",
            "MedicationRequest", "NutritionOrder", "ProcedureRequest", "ReferralRequest"])
        p.token("category", "category")
        p.token("code", "code")
        p.token("component-code", "component.code")
        p.token("component-data-absent-reason", "component.dataAbsentReason")
        p.token("component-value-concept", "component.valueCodeableConcept")
        p.quantity("component-value-quantity", "component.valueQuantity")
        p.reference("context", "context", to: ["Encounter", "EpisodeOfCare"])
        p.token("data-absent-reason", "dataAbsentReason")
        p.date("date", "effective[x]")
        p.reference("device", "device", to: ["Device", "DeviceMetric"])
        p.reference("encounter", "context", to: ["Encounter"])
        p.token("identifier", "identifier")
        p.token("method", "method")
        p.patient("subject")
        p.reference("performer", "performer", to: ["Organization", "Patient", "Practitioner", "RelatedPerson"])
        p.reference("related-target", "related.target", to: ["Observation", "QuestionnaireResponse", "Sequence"])
        p.token("related-type", "related.type")
        p.reference("specimen", "specimen", to: ["Specimen"])
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Device", "Group", "Location", "Patient"])
        p.token("value-concept", "valueCodeableConcept")
        p.date("value-date", "valueDateTime", "valuePeriod")
        p.quantity("value-quantity", "valueQuantity")
        p.string("value-string", "valueString")
        return p
    }

    static func conditionParameters() -> ParameterList {
        var p = ParameterList()
        p.quantity("abatement-age", "abatementAge")
        p.token("abatement-boolean", "abatementBoolean")
        p.date("abatement-date", "abatementDateTime", "abatementPeriod")
        p.string("abatement-string", "abatementString")
        p.date("asserted-date", "assertedDate")
        p.reference("asserter", "asserter", to: ["Patient", "Practitioner", "RelatedPerson"])
        p.token("body-site", "bodySite")
        p.token("category", "category")
        p.token("clinical-status", "clinicalStatus")
        p.token("code", "code")
        p.reference("context", "context", to: ["Encounter", "EpisodeOfCare"])
        p.reference("encounter", "context", to: ["Encounter"])
        p.token("evidence", "evidence.code")
        p.reference("evidence-detail", "evidence.detail", to: [])
        p.token("identifier", "identifier")
        p.quantity("onset-age", "onsetAge")
        p.date("onset-date", "onsetDateTime", "onsetPeriod")
        p.string("onset-info", "onsetString")
        p.patient("subject")
        p.token("severity", "severity")
        p.token("stage", "stage.summary")
        p.reference("subject", "subject", to: ["Group", "Patient"])
        p.token("verification-status", "verificationStatus")
        return p
    }

    static func allergyIntoleranceParameters() -> ParameterList {
        var p = ParameterList()
        p.reference("asserter", "asserter", to: ["Patient", "Practitioner", "RelatedPerson"])
        p.token("category", "category")
        p.token("clinical-status", "clinicalStatus")
        p.token("code", "code", "reaction.substance")
        p.token("criticality", "criticality")
        p.date("date", "assertedDate")
        p.token("identifier", "identifier")
        p.date("last-date", "lastOccurrence")
        p.token("manifestation", "reaction.manifestation")
        p.date("onset", "reaction.onset")
        p.patient("patient")
        p.reference("recorder", "recorder", to: ["Patient", "Practitioner"])
        p.token("route", "reaction.exposureRoute")
        p.token("severity", "reaction.severity")
        p.token("type", "type")
        p.token("verification-status", "verificationStatus")
        return p
    }

    static func flagParameters() -> ParameterList {
        var p = ParameterList()
        p.reference("author", "author", to: ["Device", "Organization", "Patient", "Practitioner"])
        p.date("date", "period")
        p.reference("encounter", "encounter", to: ["Encounter"])
        p.token("identifier", "identifier")
        p.patient("subject")
        p.reference("subject", "subject", to: ["Group", "Location", "Medication", "Organization", "Patient",
            "PlanDefinition", "Practitioner", "Procedure"])
        return p
    }

    static func nutritionOrderParameters() -> ParameterList {
        var p = ParameterList()
        p.token("additive", "enteralFormula.additiveType")
        p.date("datetime", "dateTime")
        p.reference("encounter", "encounter", to: ["Encounter"])
        p.token("formula", "enteralFormula.baseFormulaType")
        p.token("identifier", "identifier")
        p.token("oraldiet", "oralDiet.type")
        p.patient("patient")
        p.reference("provider", "orderer", to: ["Practitioner"])
        p.token("status", "status")
        p.token("supplement", "supplement.type")
        return p
    }

    static func procedureParameters() -> ParameterList {
        var p = ParameterList()
        p.reference("based-on", "basedOn", to: ["CarePlan", "ProcedureRequest", "ReferralRequest"])
        p.token("category", "category")
        p.token("code", "code")
        p.reference("context", "context", to: ["Encounter", "EpisodeOfCare"])
        p.date("date", "performed[x]")
        p.reference("definition", "definition", to: ["ActivityDefinition", "HealthcareService", "PlanDefinition"])
        p.reference("encounter", "context", to: ["Encounter"])
        p.token("identifier", "identifier")
        p.reference("location", "location", to: ["Location"])
        p.reference("part-of", "partOf", to: ["MedicationAdministration", "Observation", "Procedure"])
        p.patient("subject")
        p.reference("performer", "performer.actor", to: ["Device", "Organization", "Patient", "Practitioner",
            "RelatedPerson"])
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Group", "Patient"])
        return p
    }

    static func encounterParameters() -> ParameterList {
        var p = ParameterList()
        p.reference("appointment", "appointment", to: ["Appointment"])
        p.token("class", "class")
        p.date("date", "period")
        p.reference("diagnosis", "diagnosis.condition", to: ["Condition", "Procedure"])
        p.reference("episodeofcare", "episodeOfCare", to: ["EpisodeOfCare"])
        p.token("identifier", "identifier")
        p.reference("incomingreferral", "incomingReferral", to: ["ReferralRequest"])
        p.number("length", "length")
        p.reference("location", "location.location", to: ["Location"])
        p.date("location-period", "location.period")
        p.reference("part-of", "partOf", to: ["Encounter"])
        p.reference("participant", "participant.individual", to: ["Practitioner", "RelatedPerson"])
        p.token("participant-type", "participant.type")
        p.patient("subject")
        p.reference("practitioner", "participant.individual", to: ["Practitioner"])
        p.token("reason", "reason")
        p.reference("service-provider", "serviceProvider", to: ["Organization"])
        p.token("special-arrangement", "hospitalization.specialArrangement")
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Group", "Patient"])
        p.token("type", "type")
        return p
    }

    static func immunizationParameters() -> ParameterList {
        var p = ParameterList()
        p.date("date", "date")
        p.number("dose-sequence", "vaccinationProtocol.doseSequence")
        p.token("identifier", "identifier")
        p.reference("location", "location", to: ["Location"])
        p.string("lot-number", "lotNumber")
        p.reference("manufacturer", "manufacturer", to: ["Organization"])
        p.token("notgiven", "notGiven")
        p.patient("patient")
        p.reference("practitioner", "practitioner.actor", to: ["Practitioner"])
        p.reference("reaction", "reaction.detail", to: ["Observation"])
        p.date("reaction-date", "reaction.date")
        p.token("reason", "explanation.reason")
        p.token("reason-not-given", "explanation.reasonNotGiven")
        p.token("status", "status")
        p.token("vaccine-code", "vaccineCode")
        return p
    }

    static func specimenParameters() -> ParameterList {
        var p = ParameterList()
        p.token("accession", "accessionIdentifier")
        p.token("bodysite", "collection.bodySite")
        p.date("collected", "collection.collected[x]")
        p.reference("collector", "collection.collector", to: ["Practitioner"])
        p.token("container", "container.type")
        p.token("container-id", "container.identifier")
        p.token("identifier", "identifier")
        p.reference("parent", "parent", to: ["Specimen"])
        p.patient("subject")
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Device", "Group", "Patient", "Substance"])
        p.token("type", "type")
        return p
    }

    static func careTeamParameters() -> ParameterList {
        var p = ParameterList()
        p.token("category", "category")
        p.reference("context", "context", to: ["Encounter", "EpisodeOfCare"])
        p.date("date", "period")
        p.reference("encounter", "context", to: ["Encounter"])
        p.token("identifier", "identifier")
        p.reference("participant", "participant.member", to: ["CareTeam", "Organization", "Patient",
            "Practitioner", "RelatedPerson"])
        p.patient("subject")
        p.token("status", "status")
        p.reference("subject", "subject", to: ["Group", "Patient"])
        return p
    }
}
