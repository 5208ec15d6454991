import FHIR
import Foundation
@_spi(Fuzzing) import PZCImport
import Zib

// PZC importer: `PZCExport.decode(from:)` (strict JSON decoding of a `zorgnet-pzc/1` export), then
// what `PZCImporter.importExport` does before it stores: `PZCImporter.prepare` maps the export to zibs
// (`PZCMapper`), renders them as FHIR STU3, blanks the BSN in free text and validates every resource
// against the project's profiles. Storing is left out (it is the Store's business, and slow).
// Every rendered resource must be writable as JSON that reads back the same.

/// The repository root: `ZORGNET_ROOT`, or the checkout this file was compiled in.
let repositoryRoot = ProcessInfo.processInfo.environment["ZORGNET_ROOT"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

let validator: ProfileValidator = {
    do {
        return try ProfileValidator.loadProjectProfiles(from: repositoryRoot + "/Profiles")
    } catch {
        fatalError("cannot load the profiles from \(repositoryRoot)/Profiles (set ZORGNET_ROOT): \(error)")
    }
}()
let renderer = STU3Renderer()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    // A thrown PZCFormatError is the importer's refusal of the file, not a finding.
    guard let export = try? PZCExport.decode(from: bytes) else { return 0 }
    let prepared = PZCImporter.prepare(export, renderer: renderer, validator: validator)
    precondition(prepared.accepted.count + prepared.refused.count == prepared.resources)
    for resource in prepared.accepted + prepared.refused {
        let written = FHIRJSON.serialize(resource)
        precondition((try? FHIRJSON.parseResource(written)) == resource, "a rendered \(resource.resourceType) does not survive JSON")
    }
    return 0
}
