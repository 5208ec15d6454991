import Foundation

/// SplitMix64: small, fast and the same on every platform, so a seed always gives the same population.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One synthetic PZC export: the demo diabetes export (`Fixtures/pzc/diabetes.json`) as the template
/// for everything that needs no variety (members, diary, consultations, the smaller dossier sections),
/// with its own patient, and home measurements and lab results spread over three years.
///
/// Every export passes the importer's mapping and profile validation because only values change, never
/// the shape: names, dates (written with the Amsterdam offset of their moment, as the format requires),
/// measured values and BSNs (unique, passing the eleven-test, in the 99 test range).
struct SyntheticPatient {
    static let givenFemale = ["Anna", "Fatima", "Sanne", "Emma", "Noor", "Johanna", "Maria", "Lotte", "Yara", "Ingrid"]
    static let givenMale = ["Jan", "Mohamed", "Daan", "Pieter", "Sem", "Hendrik", "Kees", "Lucas", "Ahmet", "Willem"]
    static let families = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Yilmaz", "El Amrani"]

    let number: Int
    let seed: UInt64

    var pzcID: String { String(format: "syn-%llu-%06d", seed, number) }
    var patientID: String { "\(pzcID)-patient" }

    /// A BSN for `number`: "99", six digits, a check digit that makes the eleven-test pass. Numbers whose
    /// check digit would be 10 skip ahead, so each `number` maps to a distinct BSN (up to ~900,000).
    static func bsn(for number: Int) -> String {
        var candidate = number * 10 / 9
        while true {
            let digits = [9, 9] + String(format: "%06d", candidate % 1_000_000).compactMap { $0.wholeNumberValue }
            let sum = zip(digits, [9, 8, 7, 6, 5, 4, 3, 2]).map { $0 * $1 }.reduce(0, +)
            let check = sum % 11
            if check < 10 { return digits.map(String.init).joined() + String(check) }
            candidate += 1
        }
    }

    func export(template: [String: Any]) -> [String: Any] {
        var random = SeededGenerator(seed: seed &* 1_000_003 &+ UInt64(number))
        var document = template
        let female = Bool.random(using: &random)
        let given = (female ? Self.givenFemale : Self.givenMale).randomElement(using: &random)!
        let family = Self.families.randomElement(using: &random)!
        var familyParts = family.split(separator: " ").map(String.init)
        let own = familyParts.removeLast()
        var name: [String: Any] = ["given": [given], "initials": "\(given.prefix(1)).", "family": own]
        if !familyParts.isEmpty { name["prefix"] = familyParts.joined(separator: " ") }

        var pzc = template["pzc"] as! [String: Any]
        pzc["id"] = pzcID
        pzc["title"] = "Zorgnet van \(given) \(family)"
        document["pzc"] = pzc

        var patient = template["patient"] as! [String: Any]
        patient["name"] = name
        patient["gender"] = female ? "female" : "male"
        patient["birthDate"] = String(format: "%04d-%02d-%02d", Int.random(in: 1935...2004, using: &random),
                                      Int.random(in: 1...12, using: &random), Int.random(in: 1...28, using: &random))
        patient["bsn"] = Self.bsn(for: number)
        document["patient"] = patient

        document["measurements"] = measurements(using: &random)
        var dossier = template["dossier"] as! [String: Any]
        dossier["labResults"] = labResults(template: dossier["labResults"] as! [[String: Any]], using: &random)
        document["dossier"] = dossier
        return document
    }

    /// 45 home measurements over three years: glucose, blood pressure, heart rate and weight in turn.
    private func measurements(using random: inout SeededGenerator) -> [[String: Any]] {
        (0..<45).map { index in
            let measured = Self.start.addingTimeInterval(Double(index) * 24 * 86_400 + Double(Int.random(in: 0...600, using: &random)) * 60)
            var entry: [String: Any] = [
                "id": "m-\(index)", "author": "patient", "createdAt": Self.timestamp(measured.addingTimeInterval(300)),
                "measuredAt": Self.timestamp(measured),
            ]
            switch index % 4 {
            case 0: entry.merge(["kind": "glucose", "value": String(format: "%.1f", Double.random(in: 5.0...11.5, using: &random)), "unit": "mmol/L"]) { $1 }
            case 1: entry.merge(["kind": "bloodPressure", "systolic": String(Int.random(in: 115...160, using: &random)),
                                 "diastolic": String(Int.random(in: 70...98, using: &random)), "position": "sitting"]) { $1 }
            case 2: entry.merge(["kind": "heartRate", "value": String(Int.random(in: 55...95, using: &random)), "unit": "/min"]) { $1 }
            default: entry.merge(["kind": "bodyWeight", "value": String(format: "%.1f", Double.random(in: 55...115, using: &random)), "unit": "kg"]) { $1 }
            }
            return entry
        }
    }

    /// The template's lab tests, each once a year for three years, with varied values.
    private func labResults(template: [[String: Any]], using random: inout SeededGenerator) -> [[String: Any]] {
        var results: [[String: Any]] = []
        for year in 0..<3 {
            for (index, test) in template.enumerated() {
                var entry = test
                let effective = Self.start.addingTimeInterval(Double(year) * 365 * 86_400 + Double(index) * 3_600)
                entry["id"] = "lab-\(year)-\(index)"
                entry["effective"] = Self.timestamp(effective)
                entry["createdAt"] = Self.timestamp(effective.addingTimeInterval(86_400))
                if let value = test["value"] as? String, let number = Double(value) {
                    let decimals = value.split(separator: ".").dropFirst().first?.count ?? 0
                    entry["value"] = String(format: "%.\(decimals)f", number * Double.random(in: 0.85...1.15, using: &random))
                }
                results.append(entry)
            }
        }
        return results
    }

    static let start = ISO8601DateFormatter().date(from: "2023-11-06T08:00:00Z")!

    /// ISO 8601 with the Dutch offset of that moment (+01:00 in winter, +02:00 in summer).
    static func timestamp(_ date: Date) -> String { date.formatted(style) }

    static let style = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "Europe/Amsterdam")!)
}
