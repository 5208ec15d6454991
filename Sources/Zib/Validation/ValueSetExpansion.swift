import FHIR

/// The codes of one ValueSet, as far as this project can enumerate them.
///
/// Nictiz value sets mostly list their codes (`compose.include.concept`); some include a whole code
/// system or a filtered part of one (all of SNOMED CT below a concept), which only a terminology
/// server can expand. Those systems are kept in ``wholeSystems``: any code of them is accepted, so
/// the binding check never refuses a code it cannot judge.
///
/// ```swift
/// let valueSet = try ValueSetExpansion(valueSet: parsedValueSet)
/// valueSet.codes.contains(CodeReference(system: "http://snomed.info/sct", code: "55561003"))
/// ```
public struct ValueSetExpansion: Sendable, Hashable {
    public var url: String
    public var codes: Set<CodeReference>
    /// Systems included whole or by filter: their codes cannot be listed here.
    public var wholeSystems: Set<String>
    /// Other value sets this one includes; resolved by ``resolved(in:)``.
    public var importedValueSets: [String]

    public init(url: String, codes: Set<CodeReference>, wholeSystems: Set<String> = [], importedValueSets: [String] = []) {
        self.url = url
        self.codes = codes
        self.wholeSystems = wholeSystems
        self.importedValueSets = importedValueSets
    }

    /// Reads a ValueSet resource's `compose` (excludes are ignored: none of the Nictiz value sets
    /// the gateway's profiles bind uses one) and, failing that, its `expansion.contains`.
    public init(valueSet: FHIRResource) throws(ProfileCompileError) {
        guard valueSet.resourceType == "ValueSet", let url = valueSet["url"]?.stringValue else {
            throw .notAValueSet
        }
        var codes: Set<CodeReference> = []
        var wholeSystems: Set<String> = []
        var imports: [String] = []
        for include in valueSet["compose"]?["include"]?.elements ?? [] {
            imports += (include["valueSet"]?.elements ?? []).compactMap(\.stringValue)
            guard let system = include["system"]?.stringValue else { continue }
            let concepts = include["concept"]?.elements ?? []
            if concepts.isEmpty {
                wholeSystems.insert(system)
            } else {
                for concept in concepts {
                    if let code = concept["code"]?.stringValue { codes.insert(CodeReference(system: system, code: code)) }
                }
            }
        }
        Self.collect(valueSet["expansion"]?["contains"], into: &codes)
        self.init(url: url, codes: codes, wholeSystems: wholeSystems, importedValueSets: imports)
    }

    private static func collect(_ contains: FHIRValue?, into codes: inout Set<CodeReference>) {
        for entry in contains?.elements ?? [] {
            if let system = entry["system"]?.stringValue, let code = entry["code"]?.stringValue {
                codes.insert(CodeReference(system: system, code: code))
            }
            collect(entry["contains"], into: &codes)
        }
    }

    /// This value set with the codes of the value sets it imports merged in (to any depth, cycles cut).
    public func resolved(in valueSets: [String: ValueSetExpansion]) -> ValueSetExpansion {
        var result = self
        var seen: Set<String> = [url]
        var pending = importedValueSets
        while let next = pending.popLast() {
            guard seen.insert(next).inserted, let imported = valueSets[next] else { continue }
            result.codes.formUnion(imported.codes)
            result.wholeSystems.formUnion(imported.wholeSystems)
            pending += imported.importedValueSets
        }
        result.importedValueSets = []
        return result
    }
}

extension ValueSetExpansion {
    /// The few FHIR core value sets the Nictiz profiles bind as required, written out here because
    /// the core package is not part of the project's inputs. Codes as in FHIR STU3 (3.0.2).
    public static let core: [String: ValueSetExpansion] = {
        let ucum = "http://unitsofmeasure.org"
        func set(_ name: String, _ system: String, _ codes: [String]) -> (String, ValueSetExpansion) {
            let url = "http://hl7.org/fhir/ValueSet/\(name)"
            return (url, ValueSetExpansion(url: url, codes: Set(codes.map { CodeReference(system: system, code: $0) })))
        }
        let sets = [
            set("ucum-bodylength", ucum, ["cm", "[in_i]"]),
            set("ucum-bodyweight", ucum, ["kg", "[lb_av]", "g"]),
            set("ucum-bodytemp", ucum, ["Cel", "[degF]"]),
            set("ucum-vitals-common", ucum, ["%", "cm", "[in_i]", "kg", "g", "[lb_av]", "kg/m2", "Cel", "[degF]",
                                             "mm[Hg]", "/min", "m2", "[psi]"]),
            set("v2-0136", "http://hl7.org/fhir/v2/0136", ["Y", "N"]),
        ]
        return Dictionary(sets, uniquingKeysWith: { first, _ in first })
    }()
}
