import FHIR
import Testing

@testable import Gateway

@Suite("CapabilityStatement")
struct CapabilityStatementTests {
    static let statement = CapabilityStatementBuilder.make()

    static var declared: [(type: String, parameter: String)] {
        let resources = statement["rest"]?.elements.first?["resource"]?.elements ?? []
        return resources.flatMap { resource in
            (resource["searchParam"]?.elements ?? []).compactMap { parameter in
                guard let type = resource["type"]?.stringValue, let name = parameter["name"]?.stringValue else { return nil }
                return (type, name)
            }
        }
    }

    @Test("every declared search parameter is one the search endpoint accepts")
    func declaredParametersAreAccepted() throws {
        #expect(Self.declared.count > 100)
        for (type, parameter) in Self.declared {
            #expect(throws: Never.self, "\(type).\(parameter) is declared but refused") {
                try SearchRoutes.refusePatientSelection([(parameter, "x")])
            }
            #expect(SearchParameterRegistry.stu3.parameter(parameter, on: type) != nil, "\(type).\(parameter) is declared but unknown")
        }
    }

    @Test("every resource type the registry searches is declared with read, vread, history and search; create only where apps may create")
    func interactions() {
        let resources = Self.statement["rest"]?.elements.first?["resource"]?.elements ?? []
        #expect(resources.count == SearchParameterRegistry.stu3.resourceTypes.count)
        for resource in resources {
            let type = resource["type"]?.stringValue ?? ""
            let codes = Set((resource["interaction"]?.elements ?? []).compactMap { $0["code"]?.stringValue })
            let expected: Set<String> = ["read", "vread", "history-instance", "search-type"]
            #expect(codes == (CreateRoutes.writableProfiles[type] == nil ? expected : expected.union(["create"])), "\(type)")
        }
        #expect(CreateRoutes.writableProfiles.keys.sorted() == ["Observation"])
    }

    @Test("the system interactions POST /fhir serves are declared: transaction and batch, nothing else")
    func systemInteractions() {
        let rest = Self.statement["rest"]?.elements.first
        let codes = (rest?["interaction"]?.elements ?? []).compactMap { $0["code"]?.stringValue }
        #expect(codes == ["transaction", "batch"])
        #expect((rest?["interaction"]?.elements ?? []).allSatisfy { !($0["documentation"]?.stringValue ?? "").isEmpty })
    }

    @Test("the profiles accepted for create are declared, and Observation offers $lastn")
    func profilesAndOperations() {
        let declared = Set((Self.statement["profile"]?.elements ?? []).compactMap { $0["reference"]?.stringValue })
        #expect(declared == CreateRoutes.writableProfiles["Observation"])
        #expect(declared.contains("http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure"))
        let resources = Self.statement["rest"]?.elements.first?["resource"]?.elements ?? []
        let observation = resources.first { $0["type"]?.stringValue == "Observation" }
        #expect(observation?["operation"]?.elements.first?["name"]?.stringValue == "lastn")
    }

    @Test("the BgZ includes are declared where the search endpoint accepts them")
    func includes() {
        let resources = Self.statement["rest"]?.elements.first?["resource"]?.elements ?? []
        let patient = resources.first { $0["type"]?.stringValue == "Patient" }
        #expect(patient?["searchInclude"]?.elements.contains(.string("Patient:general-practitioner")) == true)
    }
}

@Suite("Audit redaction")
struct AuditRedactionTests {
    @Test("BSN-shaped numbers are redacted from audit paths, SNOMED codes are not", arguments: [
        ("/fhir/Patient?identifier=x%7C999911120", "/fhir/Patient?identifier=x%7C[bsn]"),
        ("/fhir/Patient/999911120", "/fhir/Patient/[bsn]"),
        ("/fhir/Observation?category=http://snomed.info/sct%7C275711006", "/fhir/Observation?category=http://snomed.info/sct%7C275711006"),
        ("/fhir/Observation?_count=123456789", "/fhir/Observation?_count=123456789"),
    ])
    func redaction(_ path: String, _ expected: String) {
        #expect(AuditRedaction.redactingBSNs(path) == expected)
    }
}
