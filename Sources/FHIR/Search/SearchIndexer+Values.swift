/// Reads index values out of FHIR data types, by the shape of the element (the model carries no
/// type information, and the JSON shape of each data type is distinctive enough).
enum ValueExtraction {
    // MARK: token

    /// ContactPoint.system codes. An object with `system` and `value` is a ContactPoint when its
    /// system is one of these, and an Identifier (whose system is a URI) otherwise.
    private static let contactPointSystems: Set<String> = ["phone", "fax", "email", "pager", "url", "sms", "other"]

    static func tokens(_ value: FHIRValue, into collector: inout EntryCollector) {
        switch value {
        case .string(let code):
            if !code.isEmpty { collector.add(.token(system: nil, code: code)) }
        case .boolean(let flag):
            collector.add(.token(system: nil, code: flag ? "true" : "false"))
        case .object(let object):
            if let codings = object["coding"] {
                // CodeableConcept: each coding; `text` is not a token.
                for coding in codings.elements {
                    if case .object(let coding) = coding { addCoding(coding, into: &collector) }
                }
            } else if object["code"] != nil {
                addCoding(object, into: &collector)
            } else if let value = nonEmptyString(object["value"]) {
                let system = nonEmptyString(object["system"])
                if let system, contactPointSystems.contains(system) {
                    collector.add(.token(system: nil, code: value))
                } else {
                    collector.add(.token(system: system, code: value))
                }
            }
        default:
            break
        }
    }

    private static func addCoding(_ coding: FHIRObject, into collector: inout EntryCollector) {
        guard let code = nonEmptyString(coding["code"]) else { return }
        collector.add(.token(system: nonEmptyString(coding["system"]), code: code))
    }

    // MARK: string

    /// HumanName and Address parts that string search looks at, each indexed on its own so that a
    /// prefix search finds "Jan" in given as well as "Jansen" in family.
    private static let textParts = [
        "family", "given", "prefix", "suffix", "text", "line", "city", "district", "state", "postalCode", "country",
    ]

    /// Dutch names carry the family name without voorvoegsel in these extensions on `family`
    /// ("van Putten" has own-name "Putten"), so `family=putten` finds it too.
    private static let nameExtensions: Set<String> = [
        "http://hl7.org/fhir/StructureDefinition/humanname-own-name",
        "http://hl7.org/fhir/StructureDefinition/humanname-partner-name",
    ]

    static func strings(_ leaf: ElementWalker.Leaf, into collector: inout EntryCollector) {
        switch leaf.value {
        case .string(let text):
            addString(text, into: &collector)
            if leaf.key == "family" { addNameExtensions(leaf.parent["_family"], into: &collector) }
        case .object(let object):
            for part in textParts {
                guard let values = object[part] else { continue }
                for value in values.elements {
                    if case .string(let text) = value { addString(text, into: &collector) }
                }
            }
            addNameExtensions(object["_family"], into: &collector)
        default:
            break
        }
    }

    private static func addString(_ text: String, into collector: inout EntryCollector) {
        let normalized = SearchText.normalize(text)
        if !normalized.isEmpty { collector.add(.string(normalized: normalized, exact: text)) }
    }

    private static func addNameExtensions(_ element: FHIRValue?, into collector: inout EntryCollector) {
        guard let extensions = element?["extension"]?.elements else { return }
        for item in extensions {
            guard let url = item["url"]?.stringValue, nameExtensions.contains(url),
                let text = item["valueString"]?.stringValue
            else { continue }
            addString(text, into: &collector)
        }
    }

    // MARK: date

    /// Choice types that carry a point or span in time; `onsetAge`, `onsetString`... are not dates.
    private static let dateChoiceTypes: Set<Substring> = ["Date", "DateTime", "Instant", "Period", "Timing"]

    static func dates(_ leaf: ElementWalker.Leaf, into collector: inout EntryCollector) {
        if let choiceType = leaf.choiceType, !dateChoiceTypes.contains(choiceType) { return }
        switch leaf.value {
        case .string(let text):
            if let range = DateRange(fhirDate: text) { collector.add(.date(range)) }
        case .object(let object):
            if object["start"] != nil || object["end"] != nil {
                if let range = period(object) { collector.add(.date(range)) }
            } else if let events = object["event"] {
                // Timing: each event time on its own.
                for event in events.elements {
                    if let text = event.stringValue, let range = DateRange(fhirDate: text) { collector.add(.date(range)) }
                }
            }
        default:
            break
        }
    }

    /// A Period from the start of `start` to the end of `end`; a missing end is open. A malformed or
    /// reversed period is skipped rather than guessed at.
    private static func period(_ object: FHIRObject) -> DateRange? {
        var range = DateRange.unbounded
        if let start = object["start"] {
            guard let text = start.stringValue, let parsed = DateRange(fhirDate: text) else { return nil }
            range.lowerBound = parsed.lowerBound
        }
        if let end = object["end"] {
            guard let text = end.stringValue, let parsed = DateRange(fhirDate: text) else { return nil }
            range.upperBound = parsed.upperBound
        }
        return range.lowerBound < range.upperBound ? range : nil
    }

    // MARK: reference

    static func references(_ value: FHIRValue, targets: [String], into collector: inout EntryCollector) {
        guard let text = value["reference"]?.stringValue, let parsed = parseReference(text, targets: targets) else {
            return
        }
        if let type = parsed.type, !targets.isEmpty, !targets.contains(type) { return }
        collector.add(.reference(type: parsed.type, id: parsed.id, url: text))
    }

    /// `Type/id`, `Type/id/_history/n`, absolute URLs ending in either, or a bare `id` (typed when the
    /// parameter allows one target type only). Contained (`#x`) and `urn:` references name nothing
    /// the store holds and are skipped.
    static func parseReference(_ text: String, targets: [String]) -> (type: String?, id: String)? {
        guard !text.isEmpty, !text.hasPrefix("#"), !text.hasPrefix("urn:") else { return nil }
        var segments = text.split(separator: "/", omittingEmptySubsequences: false)
        if segments.count >= 4, segments[segments.count - 2] == "_history" {
            segments.removeLast(2)
        }
        guard let id = segments.last, SearchValueParser.isValidID(id) else { return nil }
        guard segments.count >= 2 else {
            return (targets.count == 1 ? targets[0] : nil, String(id))
        }
        let type = String(segments[segments.count - 2])
        guard FHIRResource.isWellFormedTypeName(type) else { return nil }
        return (type, String(id))
    }

    // MARK: quantity, number, uri

    static func quantities(_ value: FHIRValue, into collector: inout EntryCollector) {
        guard case .object(let object) = value, let number = object["value"]?.numberValue?.doubleValue,
            number.isFinite
        else { return }
        collector.add(.quantity(value: number, system: nonEmptyString(object["system"]), code: nonEmptyString(object["code"])))
    }

    /// Number primitives, and the value of a Duration or Quantity where STU3 searches it as a number
    /// (`Encounter.length`).
    static func numbers(_ value: FHIRValue, into collector: inout EntryCollector) {
        let number = value.numberValue ?? value["value"]?.numberValue
        if let double = number?.doubleValue, double.isFinite { collector.add(.number(double)) }
    }

    static func uris(_ value: FHIRValue, into collector: inout EntryCollector) {
        if let uri = nonEmptyString(value) { collector.add(.uri(uri)) }
    }

    private static func nonEmptyString(_ value: FHIRValue?) -> String? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        return text
    }
}
