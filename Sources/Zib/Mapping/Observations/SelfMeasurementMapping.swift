/// Maps home measurements (`measurements`) to the vital-sign zibs.
///
/// ```swift
/// let result = SelfMeasurementMapping.map(export)
/// result.values.first as? Lichaamsgewicht   // weight with "72.50" kept as written
/// ```
enum SelfMeasurementMapping {
    static let section = "measurements"

    /// The export's measurement kinds, each with the zib it becomes.
    enum Kind: String, CaseIterable {
        case bloodPressure, bodyWeight, bodyHeight, heartRate, bodyTemperature, glucose, oxygenSaturation
    }

    static func map(_ export: PZCExport) -> MappingResult {
        EntryMapping.each(export.measurements, section: section) { entry, source throws(EntryRefusal) in
            let kind = try EntryMapping.known(entry.kind, field: "kind", as: Kind.self)
            switch kind {
            case .bloodPressure: return try bloodPressure(entry, source)
            case .bodyWeight: return try single(Lichaamsgewicht.self, entry, source)
            case .bodyHeight: return try height(entry, source)
            case .heartRate: return try single(Hartfrequentie.self, entry, source)
            case .bodyTemperature: return try single(Lichaamstemperatuur.self, entry, source)
            case .glucose: return try single(Bloedglucose.self, entry, source)
            case .oxygenSaturation: return try single(O2Saturatie.self, entry, source)
            }
        }
    }

    static func bloodPressure(_ entry: Measurement, _ source: EntrySource) throws(EntryRefusal) -> Bloeddruk {
        if let unit = entry.unit, unit != "mm[Hg]" { throw .unitNotAccepted(unit: unit, accepted: ["mm[Hg]"]) }
        return Bloeddruk(
            source: source, measuredAt: entry.measuredAt,
            systolic: try EntryMapping.number(entry.systolic, field: "systolic"),
            diastolic: try EntryMapping.number(entry.diastolic, field: "diastolic"),
            position: try entry.position.map { raw throws(EntryRefusal) in try EntryMapping.known(raw, field: "position", as: BodyPosition.self) },
            comment: entry.comment)
    }

    static func height(_ entry: Measurement, _ source: EntrySource) throws(EntryRefusal) -> Lichaamslengte {
        var height = try single(Lichaamslengte.self, entry, source)
        if let raw = entry.position {
            let position = try EntryMapping.known(raw, field: "position", as: BodyPosition.self)
            // Height is measured standing or lying; a sitting height is a different measurement.
            guard position != .sitting else { throw .unknownKind(field: "position", value: raw, known: ["standing", "lying"]) }
            height.position = position
        }
        return height
    }

    static func single<Value: SingleQuantityMeasurement>(_: Value.Type, _ entry: Measurement, _ source: EntrySource) throws(EntryRefusal) -> Value {
        let value = try EntryMapping.number(entry.value, field: "value")
        guard let unit = entry.unit ?? Value.impliedUnit else { throw .missing(field: "unit") }
        guard Value.acceptedUnits.contains(unit) else { throw .unitNotAccepted(unit: unit, accepted: Value.acceptedUnits) }
        return Value(source: source, measuredAt: entry.measuredAt, quantity: MeasuredQuantity(value: value, unit: unit), comment: entry.comment)
    }
}
