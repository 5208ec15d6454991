import Foundation

/// The few POSIX file operations the dev PKI needs, done so that a key is never readable by others, not even
/// for the moment between creating a file and changing its mode, and never written through a symbolic link.
enum PKIFileSystem {
    /// Owner-only directory: `rwx------`.
    static let privateDirectoryMode: mode_t = 0o700
    /// Private key file: `rw-------`.
    static let privateFileMode: mode_t = 0o600
    /// Certificate file: public, `rw-r--r--`.
    static let publicFileMode: mode_t = 0o644

    /// Creates the data directory and its missing parents (new ones 0700); an existing one is left as it is.
    static func createDataDirectory(_ path: String) throws(DevPKIError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .notADirectory(path: path) }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: Int(privateDirectoryMode)])
        } catch {
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            let code = underlying.flatMap { $0.domain == NSPOSIXErrorDomain ? Int32($0.code) : nil } ?? EIO
            throw .cannotCreateDirectory(path: path, errno: code)
        }
    }

    /// Creates `path` with mode 0700; an existing directory is narrowed to 0700 because keys are about to land in it.
    static func createPrivateDirectory(_ path: String) throws(DevPKIError) {
        if mkdir(path, privateDirectoryMode) == 0 {
            // mkdir applied the umask; set exactly 0700.
            guard chmod(path, privateDirectoryMode) == 0 else {
                throw .cannotCreateDirectory(path: path, errno: errno)
            }
            return
        }
        let error = errno
        guard error == EEXIST else { throw .cannotCreateDirectory(path: path, errno: error) }
        guard isDirectory(path) else { throw .notADirectory(path: path) }
        guard chmod(path, privateDirectoryMode) == 0 else { throw .cannotCreateDirectory(path: path, errno: errno) }
    }

    /// Writes a file that must not exist yet, created with `mode` (regardless of the umask) before any byte is
    /// written, and flushed to disk.
    static func writeNewFile(_ path: String, contents: String, mode: mode_t) throws(DevPKIError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            let error = errno
            throw error == EEXIST ? .fileAlreadyExists(path: path) : .cannotWriteFile(path: path, errno: error)
        }
        defer { close(descriptor) }
        // open() applied the umask, which may have removed bits; set exactly what was asked for.
        guard fchmod(descriptor, mode) == 0 else { throw .cannotWriteFile(path: path, errno: errno) }
        var remaining = Array(contents.utf8)[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .cannotWriteFile(path: path, errno: errno)
            }
            remaining = remaining.dropFirst(written)
        }
        guard fsync(descriptor) == 0 else { throw .cannotWriteFile(path: path, errno: errno) }
    }

    static func readFile(_ path: String) throws(DevPKIError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotReadFile(path: path, errno: errno) }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .cannotReadFile(path: path, errno: errno)
            }
            if count == 0 { break }
            contents += buffer[..<count]
        }
        return String(decoding: contents, as: UTF8.self)
    }

    /// True if something (file, directory or dangling link) exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The permission bits of the file at `path` (without following a symbolic link).
    static func permissions(of path: String) throws(DevPKIError) -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw .cannotReadFile(path: path, errno: errno) }
        return info.st_mode & 0o7777
    }

    /// True for a real directory; a symbolic link to one does not count, so keys never land outside the tree.
    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
