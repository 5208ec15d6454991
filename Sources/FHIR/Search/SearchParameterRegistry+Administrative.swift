// STU3 search parameters of the administrative resources: persons, organisations, coverage,
// consent and audit. Names and paths follow the STU3 (3.0.2) search parameter registry.
extension SearchParameterRegistry {
    static func patientParameters() -> ParameterList {
        var p = ParameterList()
        p.token("active", "active")
        p.address()
        p.date("birthdate", "birthDate")
        p.date("death-date", "deceased[x]")
        p.token("gender", "gender")
        p.reference("general-practitioner", "generalPractitioner", to: ["Organization", "Practitioner"])
        p.token("identifier", "identifier")
        p.token("language", "communication.language")
        p.reference("link", "link.other", to: ["Patient", "RelatedPerson"])
        p.humanName()
        p.reference("organization", "managingOrganization", to: ["Organization"])
        p.telecom()
        return p
    }

    static func practitionerParameters() -> ParameterList {
        var p = ParameterList()
        p.token("active", "active")
        p.address()
        p.token("communication", "communication")
        p.token("gender", "gender")
        p.token("identifier", "identifier")
        p.humanName()
        p.telecom()
        return p
    }

    static func practitionerRoleParameters() -> ParameterList {
        var p = ParameterList()
        p.token("active", "active")
        p.date("date", "period")
        p.reference("endpoint", "endpoint", to: ["Endpoint"])
        p.token("identifier", "identifier")
        p.reference("location", "location", to: ["Location"])
        p.reference("organization", "organization", to: ["Organization"])
        p.reference("practitioner", "practitioner", to: ["Practitioner"])
        p.token("role", "code")
        p.reference("service", "healthcareService", to: ["HealthcareService"])
        p.token("specialty", "specialty")
        p.telecom()
        return p
    }

    static func organizationParameters() -> ParameterList {
        var p = ParameterList()
        p.token("active", "active")
        p.address()
        p.reference("endpoint", "endpoint", to: ["Endpoint"])
        p.token("identifier", "identifier")
        p.string("name", "name", "alias")
        p.reference("partof", "partOf", to: ["Organization"])
        p.token("type", "type")
        return p
    }

    static func locationParameters() -> ParameterList {
        var p = ParameterList()
        p.address()
        p.reference("endpoint", "endpoint", to: ["Endpoint"])
        p.token("identifier", "identifier")
        p.string("name", "name", "alias")
        p.token("operational-status", "operationalStatus")
        p.reference("organization", "managingOrganization", to: ["Organization"])
        p.reference("partof", "partOf", to: ["Location"])
        p.token("status", "status")
        p.token("type", "type")
        return p
    }

    static func relatedPersonParameters() -> ParameterList {
        var p = ParameterList()
        p.token("active", "active")
        p.address()
        p.date("birthdate", "birthDate")
        p.token("gender", "gender")
        p.token("identifier", "identifier")
        p.string("name", "name")
        p.patient("patient")
        p.telecom()
        return p
    }

    static func coverageParameters() -> ParameterList {
        let parties = ["Organization", "Patient", "RelatedPerson"]
        var p = ParameterList()
        p.reference("beneficiary", "beneficiary", to: ["Patient"])
        p.string("class", "grouping.class")
        p.string("dependent", "dependent")
        p.string("group", "grouping.group")
        p.token("identifier", "identifier")
        p.string("plan", "grouping.plan")
        p.reference("payor", "payor", to: parties)
        p.reference("policy-holder", "policyHolder", to: parties)
        p.string("sequence", "sequence")
        p.token("status", "status")
        p.string("subclass", "grouping.subClass")
        p.string("subgroup", "grouping.subGroup")
        p.string("subplan", "grouping.subPlan")
        p.reference("subscriber", "subscriber", to: ["Patient", "RelatedPerson"])
        p.token("type", "type")
        return p
    }

    static func consentParameters() -> ParameterList {
        let parties = ["Organization", "Patient", "Practitioner", "RelatedPerson"]
        var p = ParameterList()
        p.token("action", "action")
        p.reference("actor", "actor.reference", to: parties + ["CareTeam", "Device", "Group"])
        p.token("category", "category")
        p.reference("consentor", "consentingParty", to: parties)
        p.reference("data", "data.reference", to: [])
        p.date("date", "dateTime")
        p.token("identifier", "identifier")
        p.reference("organization", "organization", to: ["Organization"])
        p.patient("patient")
        p.date("period", "period")
        p.token("purpose", "purpose")
        p.token("securitylabel", "securityLabel")
        p.reference(
            "source", "source[x]", to: ["Consent", "Contract", "DocumentReference", "QuestionnaireResponse"])
        p.token("status", "status")
        return p
    }

    static func auditEventParameters() -> ParameterList {
        var p = ParameterList()
        p.token("action", "action")
        p.token("address", "agent.network.address")
        p.reference("agent", "agent.reference", to: ["Device", "Organization", "Patient", "Practitioner", "RelatedPerson"])
        p.string("agent-name", "agent.name")
        p.token("agent-role", "agent.role")
        p.token("altid", "agent.altId")
        p.date("date", "recorded")
        p.reference("entity", "entity.reference", to: [])
        p.token("entity-id", "entity.identifier")
        p.string("entity-name", "entity.name")
        p.token("entity-role", "entity.role")
        p.token("entity-type", "entity.type")
        p.token("outcome", "outcome")
        p.patient("agent.reference", "entity.reference")
        p.uri("policy", "agent.policy")
        p.token("site", "source.site")
        p.token("source", "source.identifier")
        p.token("subtype", "subtype")
        p.token("type", "type")
        p.token("user", "agent.userId")
        return p
    }

    static func provenanceParameters() -> ParameterList {
        var p = ParameterList()
        p.reference("agent", "agent.who[x]", to: ["Device", "Organization", "Patient", "Practitioner", "RelatedPerson"])
        p.token("agent-role", "agent.role")
        p.reference("entity-ref", "entity.what[x]", to: [])
        p.reference("location", "location", to: ["Location"])
        p.patient("target")
        p.date("recorded", "recorded")
        p.token("signature-type", "signature.type")
        p.date("start", "period.start")
        p.date("end", "period.end")
        p.reference("target", "target", to: [])
        return p
    }
}
