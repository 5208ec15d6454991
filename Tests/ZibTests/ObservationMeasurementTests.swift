import FHIR
import Foundation
import Testing

@testable import Zib

@Suite("Self-measurements as zib vital signs")
struct ObservationMeasurementTests {
    static func measurement(_ id: String, _ fields: String, author: String = "patient") -> String {
        """
        {"id": "\(id)", "author": "\(author)", "createdAt": "2026-10-01T08:05:00+02:00",
         "measuredAt": "2026-10-01T08:00:00+02:00", \(fields)}
        """
    }

    static func render(_ measurements: [String]) throws -> (MappingResult, STU3Renderer.Output) {
        ObservationFixture.render(try ObservationFixture.export(#""measurements": [\#(measurements.joined(separator: ","))]"#))
    }

    @Test("each kind becomes its profile and LOINC code, keeping the value as written", arguments: [
        (#""kind": "bodyWeight", "value": "72.50", "unit": "kg""#, "zib-BodyWeight", "29463-7", "72.50", "kg"),
        (#""kind": "bodyHeight", "value": "181.0", "unit": "cm""#, "zib-BodyHeight", "8302-2", "181.0", "cm"),
        (#""kind": "heartRate", "value": "64""#, "zib-HeartRate", "8867-4", "64", "/min"),
        (#""kind": "bodyTemperature", "value": "37.20", "unit": "Cel""#, "zib-BodyTemperature", "8310-5", "37.20", "Cel"),
        (#""kind": "glucose", "value": "6.3", "unit": "mmol/L""#, "vitalsign-bloodglucose", "14743-9", "6.3", "mmol/L"),
        (#""kind": "oxygenSaturation", "value": "97", "unit": "%""#, "zib-OxygenSaturation", "59408-5", "97", "%"),
    ])
    func singleQuantity(_ fields: String, _ profile: String, _ loinc: String, _ value: String, _ unit: String) throws {
        let (result, output) = try Self.render([Self.measurement("ms-1", fields)])
        #expect(result.unmapped.isEmpty)
        let observation = try #require(ObservationFixture.resource(output, id: "pzc-obs-ms-1"))
        #expect(observation.profiles == ["http://nictiz.nl/fhir/StructureDefinition/\(profile)"])
        #expect(observation[path: "code", "coding", 0, "code"] == .string(loinc))
        #expect(observation[path: "code", "coding", 0, "system"] == .string("http://loinc.org"))
        #expect(observation[path: "valueQuantity", "value"]?.numberValue?.text == value)
        #expect(observation[path: "valueQuantity", "code"] == .string(unit))
        #expect(observation[path: "status"] == "final")
        #expect(observation[path: "effectiveDateTime"] == "2026-10-01T08:00:00+02:00")
        #expect(observation[path: "performer", 0, "reference"] == "Patient/pzc-obs-patient")
        #expect(observation[path: "subject", "display"] == "Jan Dekker")
    }

    @Test("vital signs carry the vital-signs category; glucose the laboratory one of its profile", arguments: [
        ("bodyWeight", "kg", "vital-signs"), ("glucose", "mmol/L", "49581000146104"),
    ])
    func categories(_ kind: String, _ unit: String, _ category: String) throws {
        let (_, output) = try Self.render([Self.measurement("ms-1", #""kind": "\#(kind)", "value": "5", "unit": "\#(unit)""#)])
        let observation = try #require(output.resources.first)
        #expect(observation[path: "category", 0, "coding", 0, "code"] == .string(category))
    }

    @Test("blood pressure has systolic, diastolic and position components in mm[Hg]")
    func bloodPressure() throws {
        let entry = Self.measurement("bp-1", #""kind": "bloodPressure", "systolic": "134", "diastolic": "82.0", "position": "sitting""#)
        let (_, output) = try Self.render([entry])
        let observation = try #require(ObservationFixture.resource(output, id: "pzc-obs-bp-1"))
        #expect(observation.profiles == ["http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure"])
        #expect(observation[path: "code", "coding", 0, "code"] == "85354-9")
        #expect(observation[path: "component", 0, "code", "coding", 0, "code"] == "8480-6")
        #expect(observation[path: "component", 0, "valueQuantity", "value"]?.numberValue?.text == "134")
        #expect(observation[path: "component", 0, "valueQuantity", "code"] == "mm[Hg]")
        #expect(observation[path: "component", 1, "code", "coding", 0, "code"] == "8462-4")
        #expect(observation[path: "component", 1, "valueQuantity", "value"]?.numberValue?.text == "82.0")
        #expect(observation[path: "component", 2, "code", "coding", 0, "code"] == "8361-8")
        #expect(observation[path: "component", 2, "valueCodeableConcept", "coding", 0, "code"] == "33586001")
        #expect(observation[path: "valueQuantity"] == nil)
    }

    @Test("height measured standing or lying adds the position-specific LOINC code", arguments: [
        ("standing", "8308-9"), ("lying", "8306-3"),
    ])
    func heightPosition(_ position: String, _ code: String) throws {
        let entry = Self.measurement("h-1", #""kind": "bodyHeight", "value": "180", "unit": "cm", "position": "\#(position)""#)
        let (_, output) = try Self.render([entry])
        let observation = try #require(output.resources.first)
        #expect(observation[path: "code", "coding", 0, "code"] == "8302-2")
        #expect(observation[path: "code", "coding", 1, "code"] == .string(code))
    }

    @Test("a measurement by a family member names that member as performer")
    func memberPerformer() throws {
        let entry = Self.measurement("ms-2", #""kind": "bodyWeight", "value": "70", "unit": "kg""#, author: "m-daughter")
        let (_, output) = try Self.render([entry])
        let observation = try #require(output.resources.first)
        #expect(observation[path: "performer", 0, "reference"] == "RelatedPerson/pzc-obs-m-daughter")
        #expect(observation[path: "performer", 0, "display"] == "Anna Dekker")
    }

    @Test("measurements that cannot be mapped are reported with the reason", arguments: [
        (#""kind": "steps", "value": "9000""#, "kind 'steps' is not one of"),
        (#""kind": "bodyWeight", "unit": "kg""#, "value is missing"),
        (#""kind": "bodyWeight", "value": "zeventig", "unit": "kg""#, "value 'zeventig' is not a number"),
        (#""kind": "bodyWeight", "value": "70""#, "unit is missing"),
        (#""kind": "glucose", "value": "6.1""#, "unit is missing"),
        (#""kind": "bodyTemperature", "value": "98.6", "unit": "[degF]""#, "unit '[degF]' is not one of Cel"),
        (#""kind": "bloodPressure", "systolic": "130""#, "diastolic is missing"),
        (#""kind": "bloodPressure", "systolic": "130", "diastolic": "80", "position": "handstand""#, "position 'handstand'"),
        (#""kind": "bodyHeight", "value": "90", "unit": "cm", "position": "sitting""#, "position 'sitting' is not one of standing, lying"),
    ])
    func refused(_ fields: String, _ reason: String) throws {
        let (result, output) = try Self.render([Self.measurement("bad-1", fields)])
        #expect(output.resources.isEmpty)
        let unmapped = try #require(output.unmapped.first)
        #expect(unmapped.entryID == "bad-1")
        #expect(unmapped.section == "measurements")
        #expect(unmapped.reason.contains(reason), "\(unmapped.reason)")
        #expect(result.values.isEmpty)
    }

    @Test("a measurement by someone not in the PZC is reported, not rendered without performer")
    func unknownAuthor() throws {
        let entry = Self.measurement("ms-3", #""kind": "heartRate", "value": "70""#, author: "m-gone")
        let (_, output) = try Self.render([entry])
        #expect(output.resources.isEmpty)
        #expect(output.unmapped.first?.reason.contains("'m-gone' is neither the patient nor a member") == true)
    }
}
