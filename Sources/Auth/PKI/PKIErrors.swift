/// Why the development PKI could not be created or loaded.
///
/// Paths are included so an operator can act on the message; key material never is.
public enum DevPKIError: Error, Hashable, Sendable {
    /// `initialize` found an existing CA certificate; keys are never overwritten.
    case alreadyInitialized(caCertificatePath: String)
    /// `initialize` found a file it would have to overwrite (left over from an interrupted run); remove the directory.
    case fileAlreadyExists(path: String)
    /// The path exists but is not a directory (or is a symbolic link, which is not followed).
    case notADirectory(path: String)
    case cannotCreateDirectory(path: String, errno: Int32)
    case cannotWriteFile(path: String, errno: Int32)
    /// A file `load` needs is missing or unreadable.
    case cannotReadFile(path: String, errno: Int32)
    /// A certificate file does not hold a PEM certificate.
    case malformedCertificateFile(path: String, reason: String)
    /// A private key file is readable by group or others; `mode` is the permission bits found (expected 0600).
    case insecureKeyFilePermissions(path: String, mode: UInt32)
}

/// Why a certificate could not be issued or a CA could not be built.
public enum CertificateAuthorityError: Error, Hashable, Sendable {
    /// A URA, UZI number or AGB code must be ASCII digits only, or the UZI compound string becomes ambiguous.
    case notDigitsOnly(field: String, value: String)
    case invalidIPAddress(String)
    /// A dNSName must be non-empty ASCII.
    case invalidDNSName(String)
    case emptyCommonName
    /// Subject serialNumber must be a PrintableString (letters, digits, space and `'()+,-./:=?`).
    case invalidSubjectSerialNumber(String)
    /// `notValidAfter` is not later than `notValidBefore`.
    case invalidValidityPeriod
    /// The request asks for neither server nor client use.
    case noUsages
    /// The CA PEM could not be read; `reason` describes the parse failure, never the key.
    case malformedPEM(reason: String)
    /// The private key given for a CA does not belong to its certificate.
    case privateKeyDoesNotMatchCertificate
    /// The certificate given as a CA is not marked CA:true in basicConstraints.
    case notACertificateAuthority
}
