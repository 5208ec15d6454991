import FHIR
import Testing

private func json(_ resource: FHIRResource) -> String {
    String(decoding: FHIRJSON.serialize(resource), as: UTF8.self)
}

@Suite("Builders produce the resources the gateway answers with")
struct BuilderTests {
    @Test("an OperationOutcome with one issue")
    func singleIssueOutcome() {
        let outcome = OperationOutcome(severity: .error, code: .notFound, diagnostics: "Patient/p1 does not exist")
        #expect(json(outcome.resource)
            == #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found","diagnostics":"Patient/p1 does not exist"}]}"#)
    }

    @Test("an OperationOutcome keeps its issues in order with their expressions")
    func multipleIssues() {
        let outcome = OperationOutcome([
            .init(code: .required, diagnostics: "name is required", expression: ["Patient.name"]),
            .init(severity: .warning, code: .businessRule, diagnostics: "check \"BSN\""),
        ])
        #expect(json(outcome.resource) == #"{"resourceType":"OperationOutcome","issue":["#
            + #"{"severity":"error","code":"required","diagnostics":"name is required","expression":["Patient.name"]},"#
            + #"{"severity":"warning","code":"business-rule","diagnostics":"check \"BSN\""}]}"#)
    }

    @Test("issue types use the STU3 codes", arguments: [
        (OperationOutcome.IssueType.notSupported, "not-supported"), (.notFound, "not-found"), (.tooLong, "too-long"),
        (.codeInvalid, "code-invalid"), (.extension, "extension"), (.tooCostly, "too-costly"),
        (.businessRule, "business-rule"), (.lockError, "lock-error"), (.noStore, "no-store"), (.throttled, "throttled"),
    ])
    func issueTypeCodes(type: OperationOutcome.IssueType, code: String) {
        #expect(type.rawValue == code)
    }

    @Test("there are 29 STU3 issue types and 4 severities")
    func codeCounts() {
        #expect(OperationOutcome.IssueType.allCases.count == 29)
        #expect(OperationOutcome.Severity.allCases.map(\.rawValue) == ["fatal", "error", "warning", "information"])
    }

    @Test("an OperationOutcome survives XML")
    func outcomeAsXML() throws {
        let resource = OperationOutcome(severity: .fatal, code: .exception, diagnostics: "x < y").resource
        #expect(try FHIRXML.parseResource(FHIRXML.serialize(resource)) == resource)
    }

    @Test("a searchset Bundle with all parts, in definition order")
    func fullSearchset() throws {
        let patient = try FHIRJSON.parseResource(Array(#"{"resourceType":"Patient","id":"p1"}"#.utf8))
        let bundle = SearchsetBundle(
            id: "b1", total: 12, selfLink: "https://zorg.example/fhir/Patient?name=jan",
            nextLink: "https://zorg.example/fhir/Patient?name=jan&_page=2",
            entries: [.init(fullUrl: "https://zorg.example/fhir/Patient/p1", resource: patient, mode: .match)],
            lastUpdated: "2024-05-01T12:00:00Z"
        )
        #expect(json(bundle.resource) == #"{"resourceType":"Bundle","id":"b1","meta":{"lastUpdated":"2024-05-01T12:00:00Z"},"#
            + #""type":"searchset","total":12,"link":[{"relation":"self","url":"https://zorg.example/fhir/Patient?name=jan"},"#
            + #"{"relation":"next","url":"https://zorg.example/fhir/Patient?name=jan&_page=2"}],"#
            + #""entry":[{"fullUrl":"https://zorg.example/fhir/Patient/p1","resource":{"resourceType":"Patient","id":"p1"},"#
            + #""search":{"mode":"match"}}]}"#)
        #expect(try FHIRXML.parseResource(FHIRXML.serialize(bundle.resource)) == bundle.resource)
    }

    @Test("a searchset Bundle leaves out what it was not given")
    func minimalSearchset() {
        let bundle = SearchsetBundle(id: "b2", total: nil, selfLink: "https://zorg.example/fhir/Patient", nextLink: nil, entries: [])
        #expect(json(bundle.resource) == #"{"resourceType":"Bundle","id":"b2","type":"searchset","#
            + #""link":[{"relation":"self","url":"https://zorg.example/fhir/Patient"}]}"#)
    }
}
