import Exchange
import Foundation
import Testing

@Suite("MedMij lists: the examples validate and map")
struct MedMijListParsingTests {
    @Test("every example list validates against its XSD and maps to the right kind", arguments: MedMijListKind.allCases)
    func examplesValidate(kind: MedMijListKind) throws {
        let list = try ListFixtures.parser().parse(ListFixtures.bytes(kind), as: kind)
        #expect(list.kind == kind)
        #expect(list.timestamp == "2025-01-15T09:30:00Z")
        #expect(list.timestampDate == Date(timeIntervalSince1970: 1_736_933_400))
    }

    @Test("the OCL maps the demo PGO app with its fingerprints and status, and defaults status to active")
    func oauthClientList() throws {
        guard case .oauthClients(let ocl) = try ListFixtures.parser().parse(ListFixtures.bytes(.oauthClientList), as: .oauthClientList)
        else { Issue.record("not an OCL"); return }
        #expect(ocl.sequenceNumber == 7)
        let demo = try #require(ocl.client(hostname: "PGO-demo.zorgnet.test"))
        #expect(demo.organisationName == "Demo PGO")
        #expect(demo.status == .active)
        #expect(demo.certificateFingerprints == ["3f1a9c2e4b5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"])
        let other = try #require(ocl.client(hostname: "medmij.deenigeechtepgo.nl"))
        #expect(other.certificateFingerprints.isEmpty)
        #expect(other.status == .active)
    }

    @Test("the ZAL maps the demo hospital with URA, endpoints and system roles")
    func providerList() throws {
        guard case .providers(let zal) = try ListFixtures.parser().parse(ListFixtures.bytes(.providerList), as: .providerList)
        else { Issue.record("not a ZAL"); return }
        #expect(zal.sequenceNumber == 12)
        let hospital = try #require(zal.provider(named: "demoziekenhuis@medmij"))
        #expect(hospital.ura == "90000123")
        #expect(hospital.dataServices.map(\.id) == ["1", "4"])
        let lab = try #require(hospital.dataService(id: "4"))
        #expect(lab.authorizationEndpoint.absoluteString == "https://demoziekenhuis.zorgnet.test/oauth/authorize")
        #expect(lab.tokenEndpoint.port == 8443)
        #expect(lab.systemRoles == [SystemRole(code: "LAB-1.0.0-LRB-FHIR", resourceEndpoint: try #require(URL(string: "https://demoziekenhuis.zorgnet.test:8443/fhir")))])
        #expect(zal.provider(named: "umcharderwijk@medmij")?.ura == nil)
    }

    @Test("the Whitelist accepts both the bare and the Hostname-wrapped MedMijNode")
    func whitelist() throws {
        guard case .whitelist(let whitelist) = try ListFixtures.parser().parse(ListFixtures.bytes(.whitelist), as: .whitelist)
        else { Issue.record("not a Whitelist"); return }
        #expect(whitelist.hostnames == ["pgo-demo.zorgnet.test", "demoziekenhuis.zorgnet.test", "medmij.xisbridge.net"])
        #expect(whitelist.contains("MEDMIJ.xisbridge.net"))
        #expect(!whitelist.contains("evil.example.org"))
    }

    @Test("the GNL maps the seven example data services in order")
    func dataServiceNames() throws {
        guard case .dataServiceNames(let gnl) = try ListFixtures.parser().parse(ListFixtures.bytes(.dataServiceNameList), as: .dataServiceNameList)
        else { Issue.record("not a GNL"); return }
        #expect(gnl.dataServices.map(\.id) == ["1", "2", "3", "4", "5", "6", "7"])
        #expect(gnl.displayName(for: "4") == "Laboratoriumresultaten")
        #expect(gnl.displayName(for: "1") == "Basisgegevens Zorg")
    }

    @Test("the hand-written hostname check agrees with the XSD pattern", arguments: [
        ("pgo-demo.zorgnet.test", true), ("a.bc", true), ("a-.bc", true), ("localhost", false), ("a.b", false),
        ("A.example.nl", false), ("-a.example.nl", false), ("a..nl", false), ("a.nl-", false), ("a_b.nl", false), ("", false),
    ])
    func hostnamePattern(hostname: String, accepted: Bool) throws {
        let text = try ListFixtures.text(.whitelist).replacingOccurrences(of: "medmij.xisbridge.net", with: hostname)
        let wrapped = try ListFixtures.text(.whitelist).replacingOccurrences(of: "demoziekenhuis.zorgnet.test", with: hostname)
        let parser = try ListFixtures.parser()
        #expect(((try? parser.parse(Array(text.utf8), as: .whitelist)) != nil) == accepted, "bare form")
        #expect(((try? parser.parse(Array(wrapped.utf8), as: .whitelist)) != nil) == accepted, "wrapped form (XSD)")
    }
}
