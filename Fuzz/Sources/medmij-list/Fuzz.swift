import Exchange
import Foundation

// MedMij list parser: `MedMijListParser.parse` (prescan refusing DOCTYPE/entities and non-UTF-8,
// libxml2 parse, root/namespace check, XSD validation against Schemas/medmij, mapping to Swift values)
// for the ZAL, OCL, Whitelist and GNL. The kind is not in the input: the list is offered as each kind
// in turn until one gets past the root element check (a wrong kind is refused before the XSD runs).

/// The repository root: `ZORGNET_ROOT`, or the checkout this file was compiled in.
let repositoryRoot = ProcessInfo.processInfo.environment["ZORGNET_ROOT"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

let parser: MedMijListParser = {
    do {
        return try MedMijListParser(schemaDirectory: URL(fileURLWithPath: repositoryRoot + "/Schemas/medmij"))
    } catch {
        fatalError("cannot load the XSDs from \(repositoryRoot)/Schemas/medmij (set ZORGNET_ROOT): \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for kind in MedMijListKind.allCases {
        do {
            _ = try parser.parse(bytes, as: kind)
            return 0
        } catch .wrongList {
            continue  // another kind's root element: try that kind
        } catch {
            return 0  // refused (unsafe, malformed or invalid against the XSD): not a finding
        }
    }
    return 0
}
