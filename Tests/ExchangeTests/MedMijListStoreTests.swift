import Exchange
import Foundation
import Testing

@Suite("MedMij list store: the last good copy stays in force")
struct MedMijListStoreTests {
    private func offer(_ kind: MedMijListKind, sequenceNumber: String, editing: (String) -> String = { $0 }) throws -> [UInt8] {
        Array(editing(ListFixtures.withSequenceNumber(sequenceNumber, in: try ListFixtures.text(kind))).utf8)
    }

    @Test("a higher Volgnummer replaces the list in force", arguments: MedMijListKind.allCases)
    func higherAccepted(kind: MedMijListKind) async throws {
        let store = MedMijListStore(parser: try ListFixtures.parser())
        #expect(await store.accept(xml: try offer(kind, sequenceNumber: "5"), kind: kind) == .success(.accepted(sequenceNumber: 5, replacing: nil)))
        let newer = try offer(kind, sequenceNumber: "6")
        #expect(await store.accept(xml: newer, kind: kind) == .success(.accepted(sequenceNumber: 6, replacing: 5)))
        #expect(await store.sequenceNumber(kind) == 6)
        #expect(await store.inForceXML(kind) == newer)
    }

    @Test("a lower Volgnummer is refused and the previous copy stays", arguments: MedMijListKind.allCases)
    func lowerRefused(kind: MedMijListKind) async throws {
        let store = MedMijListStore(parser: try ListFixtures.parser())
        let good = try offer(kind, sequenceNumber: "10")
        _ = await store.accept(xml: good, kind: kind)
        let before = await store.list(kind)
        #expect(await store.accept(xml: try offer(kind, sequenceNumber: "9"), kind: kind) == .failure(.olderSequenceNumber(offered: 9, inForce: 10)))
        #expect(await store.list(kind) == before)
        #expect(await store.inForceXML(kind) == good)
    }

    @Test("an invalid list is refused and the previous copy stays")
    func invalidKeepsLastGood() async throws {
        let store = MedMijListStore(parser: try ListFixtures.parser())
        _ = await store.accept(xml: try ListFixtures.bytes(.providerList), kind: .providerList)
        let broken = try offer(.providerList, sequenceNumber: "99") { $0.replacingOccurrences(of: "umcharderwijk@medmij", with: "demoziekenhuis@medmij") }
        guard case .failure(.invalidAgainstSchema) = await store.accept(xml: broken, kind: .providerList) else {
            Issue.record("duplicate Zorgaanbiedernaam was not refused")
            return
        }
        #expect(await store.providerList?.sequenceNumber == 12)
        #expect(await store.providerList?.provider(named: "umcharderwijk@medmij") != nil)
    }

    @Test("the same Volgnummer is a no-op with the same content and refused with different content")
    func equalSequenceNumber() async throws {
        let store = MedMijListStore(parser: try ListFixtures.parser())
        let original = try ListFixtures.bytes(.dataServiceNameList)
        _ = await store.accept(xml: original, kind: .dataServiceNameList)
        let reindented = Array(try ListFixtures.text(.dataServiceNameList).replacingOccurrences(of: "    ", with: "  ").utf8)
        #expect(await store.accept(xml: reindented, kind: .dataServiceNameList) == .success(.unchanged(sequenceNumber: 1)))
        #expect(await store.inForceXML(.dataServiceNameList) == original)
        let changed = Array(try ListFixtures.text(.dataServiceNameList).replacingOccurrences(of: "Afspraken", with: "Agenda").utf8)
        #expect(await store.accept(xml: changed, kind: .dataServiceNameList) == .failure(.conflictingSequenceNumber(1)))
        #expect(await store.dataServiceNameList?.displayName(for: "7") == "Afspraken")
    }

    @Test("unsafe XML and the wrong list are refused without touching the list in force")
    func refusalsKeepState() async throws {
        let store = MedMijListStore(parser: try ListFixtures.parser())
        _ = await store.accept(xml: try ListFixtures.bytes(.whitelist), kind: .whitelist)
        let hostile = Array("<!DOCTYPE x [<!ENTITY a \"a\">]><Whitelist/>".utf8)
        #expect(await store.accept(xml: hostile, kind: .whitelist) == .failure(.unsafeXML(.doctype, line: 1)))
        #expect(await store.accept(xml: try ListFixtures.bytes(.oauthClientList), kind: .whitelist)
            == .failure(.wrongList(expected: .whitelist, found: .oauthClientList)))
        #expect(await store.whitelist?.contains("pgo-demo.zorgnet.test") == true)
        #expect(await store.oauthClientList == nil)
    }

    @Test("kinds are independent: each holds its own list")
    func kindsIndependent() async throws {
        let store = MedMijListStore(parser: try ListFixtures.parser())
        for kind in MedMijListKind.allCases { _ = await store.accept(xml: try ListFixtures.bytes(kind), kind: kind) }
        #expect(await store.oauthClientList?.sequenceNumber == 7)
        #expect(await store.providerList?.sequenceNumber == 12)
        #expect(await store.whitelist?.sequenceNumber == 3)
        #expect(await store.dataServiceNameList?.sequenceNumber == 1)
    }
}
