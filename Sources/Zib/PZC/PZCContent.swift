/// A diary post (dagboek) with its comments. No zib: served as a text DocumentReference.
public struct DiaryEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    public var updatedAt: String?
    public var title: String
    public var text: String
    public var comments: [Comment]?

    public struct Comment: Sendable, Hashable, Codable {
        public var id: String
        public var author: String
        public var createdAt: String
        public var text: String
    }
}

/// A consultation thread (overleg). No zib: served as a text DocumentReference.
public struct ConsultationThread: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    public var title: String
    public var messages: [Message]

    public struct Message: Sendable, Hashable, Codable {
        public var id: String
        public var author: String
        public var createdAt: String
        public var text: String
    }
}

/// A file shared in the PZC (bestanden). Served as DocumentReference + Binary.
public struct FileEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    public var name: String
    public var mimeType: String
    /// What the document is, coded (a LOINC document type or SNOMED CT record artifact, e.g.
    /// `11341000146107` advance directive); files without one are typed as a shared file.
    public var type: Code?
    public var description: String?
    /// The file's bytes, base64.
    public var contentBase64: String
}

/// A form definition (formulier), written by a member like every other entry.
public struct Form: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    public var updatedAt: String?
    public var title: String
    public var items: [Item]

    public struct Item: Sendable, Hashable, Codable {
        public var linkId: String
        public var text: String
        /// `string`, `text`, `integer`, `decimal`, `boolean`, `date`, `choice`.
        public var type: String
        public var options: [String]?
    }
}

/// A filled form. Served as QuestionnaireResponse.
public struct FilledForm: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    /// When the answers were last changed, if after `createdAt`.
    public var updatedAt: String?
    public var form: String
    public var answers: [Answer]

    public struct Answer: Sendable, Hashable, Codable {
        public var linkId: String
        /// The answer as text; typed by the form item's `type`.
        public var value: String
    }
}

/// A home measurement (zelfmeting), entered by the patient or a member.
public struct Measurement: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    /// `bloodPressure`, `bodyWeight`, `bodyHeight`, `heartRate`, `bodyTemperature`, `glucose`, `oxygenSaturation`.
    public var kind: String
    public var measuredAt: String
    /// The value as written (decimal text keeps its precision), for single-valued kinds.
    public var value: String?
    /// UCUM unit of `value`, e.g. `kg`, `cm`, `/min`, `Cel`, `mmol/L`, `%`.
    public var unit: String?
    public var systolic: String?
    public var diastolic: String?
    /// For blood pressure: `sitting`, `standing`, `lying`; for height: `standing`, `lying`.
    public var position: String?
    public var comment: String?
}
