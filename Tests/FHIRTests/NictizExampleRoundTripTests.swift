import FHIR
import Foundation
import Testing

/// The Nictiz zib2017 examples (CC0, in ../shared/nictiz beside the repository) are realistic XML
/// nobody in this project wrote: every one must survive XML → model → JSON → model → XML.
enum NictizExamples {
    /// `$ZORGNET_SHARED_DIR/nictiz` when set, else the first `shared/nictiz` found walking up from
    /// this file, from where the compiler saw it and from where it really is (dev packages symlink
    /// the test directory, so the two can differ).
    static let root: URL? = {
        if let shared = ProcessInfo.processInfo.environment["ZORGNET_SHARED_DIR"] {
            return URL(fileURLWithPath: shared).appendingPathComponent("nictiz")
        }
        let file = URL(fileURLWithPath: #filePath)
        for start in [file, file.resolvingSymlinksInPath()] {
            var directory = start.deletingLastPathComponent()
            while directory.path != "/" {
                let candidate = directory.appendingPathComponent("shared/nictiz")
                if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }()

    static let stu3Directory = root?.appendingPathComponent("stu3-zib2017/Examples")

    static let stu3Files: [String] = {
        guard let directory = stu3Directory,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".xml") }.sorted()
    }()

    static var isAvailable: Bool { !stu3Files.isEmpty }

    static func bytes(of name: String) throws -> [UInt8] {
        let directory = try #require(stu3Directory)
        return Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

@Suite("Nictiz zib2017 examples", .enabled(if: NictizExamples.isAvailable, "needs ../shared/nictiz/stu3-zib2017/Examples"))
struct NictizExampleRoundTripTests {
    @Test("the examples are all there", .tags(.nictiz))
    func examplesAreFound() {
        #expect(NictizExamples.stu3Files.count >= 200)
    }

    @Test("XML → model → JSON → model → XML keeps every element, attribute and narrative text", .tags(.nictiz),
          arguments: NictizExamples.stu3Files)
    func roundTrip(file: String) throws {
        let original = try NictizExamples.bytes(of: file)
        let fromXML = try FHIRXML.parseResource(original)
        let json = FHIRJSON.serialize(fromXML)
        let fromJSON = try FHIRJSON.parseResource(json)
        #expect(fromJSON == fromXML, "JSON did not reproduce the model")
        let written = FHIRXML.serialize(fromJSON, pretty: true)

        let expected = try #require(CanonicalXMLElement.parse(original))
        let actual = try #require(CanonicalXMLElement.parse(written), "written XML is not well-formed")
        let difference = expected.firstDifference(from: actual)
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("the JSON is FHIR-shaped: arrays where elements repeat, bare numbers and booleans", .tags(.nictiz),
          arguments: NictizExamples.stu3Files)
    func jsonIsFHIRShaped(file: String) throws {
        let resource = try FHIRXML.parseResource(NictizExamples.bytes(of: file))
        let json = try FHIRJSON.parse(FHIRJSON.serialize(resource, pretty: true))
        let problems = FHIRShape.problems(in: try #require(json.objectValue))
        #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
    }
}

extension Tag {
    @Tag static var nictiz: Self
}
