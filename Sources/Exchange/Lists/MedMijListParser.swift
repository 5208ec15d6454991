import Foundation

/// Validates a MedMij list against the project's XSD and maps it to Swift values.
///
/// The XSDs live in the repository (`Schemas/medmij/`); the caller says where, so deployments and
/// tests can point at their own copy. All four are read and compiled once in `init`, so a missing or
/// broken schema stops start-up instead of refusing every list later.
///
/// ```swift
/// let parser = try MedMijListParser(schemaDirectory: URL(fileURLWithPath: "Schemas/medmij"))
/// let list = try parser.parse(Array(data), as: .providerList)
/// if case .providers(let zal) = list { print(zal.providers.map(\.name)) }
/// ```
public struct MedMijListParser: Sendable {
    private let schemas: [MedMijListKind: [UInt8]]

    /// Reads `MedMij_<Root>.xsd` for every kind from `schemaDirectory`.
    public init(schemaDirectory: URL) throws(MedMijListError) {
        var schemas: [MedMijListKind: [UInt8]] = [:]
        for kind in MedMijListKind.allCases {
            let file = schemaDirectory.appendingPathComponent(kind.schemaFileName)
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: file))
            } catch {
                throw .schemaUnavailable(kind, reason: "cannot read \(file.path): \(error.localizedDescription)")
            }
            try ListLibXML.checkSchema(bytes, kind: kind)
            schemas[kind] = bytes
        }
        self.schemas = schemas
    }

    /// Refuses unsafe or malformed XML, another kind of list, and anything invalid against the XSD;
    /// otherwise returns the list. Says nothing about Volgnummer order: that is ``MedMijListStore``'s job.
    public func parse(_ xml: [UInt8], as kind: MedMijListKind) throws(MedMijListError) -> MedMijList {
        guard let schema = schemas[kind] else { throw .schemaUnavailable(kind, reason: "not loaded") }
        return try ListLibXML.withValidatedRoot(of: xml, schema: schema, kind: kind) { root throws(MedMijListError) in
            try ListMapping.map(root, as: kind)
        }
    }
}
