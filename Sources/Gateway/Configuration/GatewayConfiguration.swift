import Foundation

/// Everything `zorgnet serve` can be told, from flags or a JSON file (`--config FILE`).
///
/// ```json
/// { "dataDirectory": "/var/lib/zorgnet", "front": "0.0.0.0:443", "back": "0.0.0.0:9443",
///   "maxBodySize": 16777216, "idleTimeoutSeconds": 60, "tls": { "backCertificate": "/etc/zorgnet/tls/back.crt", … } }
/// ```
public struct GatewayConfiguration: Sendable, Codable, Hashable {
    public static let defaultMaxBodySize = 16 * 1024 * 1024
    public static let defaultIdleTimeoutSeconds = 60.0
    public static let defaultRequestReadTimeoutSeconds = 120.0
    public static let defaultMaxConcurrentRequests = 256

    /// Where `gateway.sqlite`, `audit.sqlite` and the dev PKI live.
    public var dataDirectory: String
    /// The browser-facing listener: TLS with a server certificate only.
    public var front: ListenAddress
    /// The system-to-system listener: mutual TLS.
    public var back: ListenAddress
    /// Request bodies above this many bytes are refused with 413.
    public var maxBodySize: Int
    /// Page size of searches that do not say `_count`.
    public var defaultSearchCount: Int
    /// A connection that sends nothing (no TLS handshake, no request, no body bytes) for this many
    /// seconds is closed, so stalled or slowloris clients cannot hold connections, or a shutdown, forever.
    public var idleTimeoutSeconds: Double
    /// A request's body must arrive whole within this many seconds of its head; otherwise the
    /// connection is closed and the refusal audited. (The head itself is bounded by the idle timeout,
    /// which only a complete head resets; body bytes do reset it, hence this second limit.)
    public var requestReadTimeoutSeconds: Double = Self.defaultRequestReadTimeoutSeconds
    /// Requests one listener works on at once; more are answered 503 with `Retry-After` straight away
    /// rather than left to queue until their clients time out.
    public var maxConcurrentRequests: Int = Self.defaultMaxConcurrentRequests
    /// The project's profile definitions (`Profiles/`), read at start-up; resources posted to
    /// `$validate` (and later pushed) are checked against them. Default: `Profiles/` of the checkout.
    public var profilesDirectory: String?
    /// Certificates and keys; paths left out default to the dev PKI in the data directory.
    public var tls: TLSFiles
    /// Whether the DigiD and UZI stand-ins may be used to log in. Off unless set here or by `--demo`:
    /// a stand-in lets anyone pick an identity, which only a demo may allow.
    public var loginStandIns: Bool = false
    /// A browser session ends after this many seconds without a request.
    public var sessionIdleTimeoutSeconds: Int = Self.defaultSessionIdleTimeoutSeconds
    /// A browser session ends this many seconds after login at the latest, however active.
    public var sessionLifetimeSeconds: Int = Self.defaultSessionLifetimeSeconds
    /// This gateway's MedMij provider name: the scope PGO apps ask for (afsprakenstelsel 2.x).
    public var medMijProviderName: String = Self.defaultMedMijProviderName
    /// Seconds between signed audit checkpoints (``AuditCheckpoint``); one more is made at shutdown.
    public var auditCheckpointIntervalSeconds: Int = Self.defaultAuditCheckpointIntervalSeconds
    /// How long audit events are kept. NEN 7513 and the Dutch rules for care logs ask at least five
    /// years; a gateway acting only as a MedMij PGO keeps 24 to 36 months. Pruning goes by whole
    /// checkpoint ranges, after each checkpoint.
    public var auditRetentionDays: Int = Self.defaultAuditRetentionDays

    public static let defaultSessionIdleTimeoutSeconds = 15 * 60
    public static let defaultSessionLifetimeSeconds = 8 * 3600
    public static let defaultMedMijProviderName = "zorgnet"
    public static let defaultAuditCheckpointIntervalSeconds = 300
    public static let defaultAuditRetentionDays = 5 * 365 + 1

    public init(
        dataDirectory: String = ".zorgnet", front: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8443),
        back: ListenAddress = ListenAddress(host: "127.0.0.1", port: 9443), maxBodySize: Int = Self.defaultMaxBodySize,
        defaultSearchCount: Int = 50, tls: TLSFiles = TLSFiles(), idleTimeoutSeconds: Double = Self.defaultIdleTimeoutSeconds
    ) {
        self.dataDirectory = dataDirectory
        self.front = front
        self.back = back
        self.maxBodySize = maxBodySize
        self.defaultSearchCount = defaultSearchCount
        self.tls = tls
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }

    public init(from decoder: any Decoder) throws {
        let defaults = GatewayConfiguration()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dataDirectory = try container.decodeIfPresent(String.self, forKey: .dataDirectory) ?? defaults.dataDirectory
        front = try container.decodeIfPresent(ListenAddress.self, forKey: .front) ?? defaults.front
        back = try container.decodeIfPresent(ListenAddress.self, forKey: .back) ?? defaults.back
        maxBodySize = try container.decodeIfPresent(Int.self, forKey: .maxBodySize) ?? defaults.maxBodySize
        defaultSearchCount = try container.decodeIfPresent(Int.self, forKey: .defaultSearchCount) ?? defaults.defaultSearchCount
        tls = try container.decodeIfPresent(TLSFiles.self, forKey: .tls) ?? defaults.tls
        idleTimeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .idleTimeoutSeconds) ?? defaults.idleTimeoutSeconds
        requestReadTimeoutSeconds =
            try container.decodeIfPresent(Double.self, forKey: .requestReadTimeoutSeconds) ?? defaults.requestReadTimeoutSeconds
        maxConcurrentRequests = try container.decodeIfPresent(Int.self, forKey: .maxConcurrentRequests) ?? defaults.maxConcurrentRequests
        profilesDirectory = try container.decodeIfPresent(String.self, forKey: .profilesDirectory)
        loginStandIns = try container.decodeIfPresent(Bool.self, forKey: .loginStandIns) ?? defaults.loginStandIns
        sessionIdleTimeoutSeconds =
            try container.decodeIfPresent(Int.self, forKey: .sessionIdleTimeoutSeconds) ?? defaults.sessionIdleTimeoutSeconds
        sessionLifetimeSeconds = try container.decodeIfPresent(Int.self, forKey: .sessionLifetimeSeconds) ?? defaults.sessionLifetimeSeconds
        medMijProviderName = try container.decodeIfPresent(String.self, forKey: .medMijProviderName) ?? defaults.medMijProviderName
        auditCheckpointIntervalSeconds =
            try container.decodeIfPresent(Int.self, forKey: .auditCheckpointIntervalSeconds) ?? defaults.auditCheckpointIntervalSeconds
        auditRetentionDays = try container.decodeIfPresent(Int.self, forKey: .auditRetentionDays) ?? defaults.auditRetentionDays
    }

    /// Reads a JSON configuration file; members left out keep their defaults.
    public static func load(file: String) throws -> GatewayConfiguration {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        do {
            return try JSONDecoder().decode(GatewayConfiguration.self, from: data)
        } catch let error as DecodingError {
            throw ConfigurationError.invalidFile(file, reason: Self.describe(error))
        }
    }

    /// Checks that the values make sense together, naming the first that does not.
    public func validate() throws {
        guard maxBodySize >= 1024 else { throw ConfigurationError.invalidValue("maxBodySize", "must be at least 1024 bytes") }
        guard (1...1000).contains(defaultSearchCount) else {
            throw ConfigurationError.invalidValue("defaultSearchCount", "must be between 1 and 1000")
        }
        guard idleTimeoutSeconds > 0, idleTimeoutSeconds <= 3600 else {
            throw ConfigurationError.invalidValue("idleTimeoutSeconds", "must be more than 0 and at most 3600 seconds")
        }
        guard requestReadTimeoutSeconds > 0, requestReadTimeoutSeconds <= 3600 else {
            throw ConfigurationError.invalidValue("requestReadTimeoutSeconds", "must be more than 0 and at most 3600 seconds")
        }
        guard (1...100_000).contains(maxConcurrentRequests) else {
            throw ConfigurationError.invalidValue("maxConcurrentRequests", "must be between 1 and 100000")
        }
        if front.port != 0, front == back { throw ConfigurationError.invalidValue("back", "must differ from front") }
        guard (60...86_400).contains(sessionIdleTimeoutSeconds) else {
            throw ConfigurationError.invalidValue("sessionIdleTimeoutSeconds", "must be between 60 and 86400 seconds")
        }
        guard sessionLifetimeSeconds >= sessionIdleTimeoutSeconds, sessionLifetimeSeconds <= 7 * 86_400 else {
            throw ConfigurationError.invalidValue(
                "sessionLifetimeSeconds", "must be at least sessionIdleTimeoutSeconds and at most 604800 seconds (a week)")
        }
        guard (730...36_500).contains(auditRetentionDays) else {
            throw ConfigurationError.invalidValue("auditRetentionDays", "must be between 730 (NEN 7513's minimum of two years) and 36500 days")
        }
        guard (1...86_400).contains(auditCheckpointIntervalSeconds) else {
            throw ConfigurationError.invalidValue("auditCheckpointIntervalSeconds", "must be between 1 and 86400 seconds")
        }
        guard !medMijProviderName.isEmpty, medMijProviderName.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) }) else {
            throw ConfigurationError.invalidValue("medMijProviderName", "must be lower-case letters and digits (the MedMij name without @medmij)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "unreadable"
        }
    }
}

/// Paths of the TLS material. The two listeners usually carry different certificates: a public OV
/// certificate in front, a PKIoverheid private or UZI server certificate at the back (certs/README.md).
public struct TLSFiles: Sendable, Codable, Hashable {
    /// PEM certificate chain the front listener presents (leaf first).
    public var frontCertificate: String?
    /// PEM private key of the front certificate (mode 0600).
    public var frontKey: String?
    /// PEM certificate chain the back listener presents (leaf first).
    public var backCertificate: String?
    /// PEM private key of the back certificate (mode 0600).
    public var backKey: String?
    /// PEM trust anchors that client certificates on the back listener must chain to.
    public var clientTrustAnchors: String?

    public init(
        frontCertificate: String? = nil, frontKey: String? = nil, backCertificate: String? = nil, backKey: String? = nil,
        clientTrustAnchors: String? = nil
    ) {
        self.frontCertificate = frontCertificate
        self.frontKey = frontKey
        self.backCertificate = backCertificate
        self.backKey = backKey
        self.clientTrustAnchors = clientTrustAnchors
    }
}

/// `host:port`, with IPv6 hosts in brackets (`[::1]:9443`); port 0 asks the system for a free port.
public struct ListenAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ConfigurationError.invalidAddress(text)
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ConfigurationError.invalidAddress(text) }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let number = Int(port), (0...65535).contains(number) else {
            throw ConfigurationError.invalidAddress(text)
        }
        self.init(host: String(host), port: number)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// What is wrong with a configuration.
public enum ConfigurationError: Error, Sendable, CustomStringConvertible {
    case invalidAddress(String)
    case invalidFile(String, reason: String)
    case invalidValue(String, String)
    case missingFile(String, purpose: String)

    public var description: String {
        switch self {
        case .invalidAddress(let text): "'\(text)' is not a listen address; write host:port, e.g. 127.0.0.1:9443 or [::1]:9443"
        case .invalidFile(let file, let reason): "configuration file \(file) is invalid: \(reason)"
        case .invalidValue(let name, let reason): "configuration value \(name) \(reason)"
        case .missingFile(let file, let purpose): "\(purpose) \(file) does not exist; run `zorgnet pki init` or configure real certificates (see certs/README.md)"
        }
    }
}
