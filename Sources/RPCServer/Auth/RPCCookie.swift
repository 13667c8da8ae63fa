#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The RPC authentication cookie file: `__cookie__:<64 hex digits>`, readable by the owner
/// only, written at start when no `-rpcpassword` is set and deleted at stop (Core's
/// `GenerateAuthCookie` / `DeleteAuthCookie`).
public enum RPCCookie {
    /// The user name of cookie authentication.
    public static let user = "__cookie__"
    /// The default file name in the data directory.
    public static let defaultFileName = ".cookie"

    /// Writes a new cookie with a random 32-byte password to `path` (through `path.tmp` and a
    /// rename, mode 0600) and returns the password.
    public static func generate(at path: String) throws(RPCServerError) -> String {
        let password = RPCAuthenticator.randomHex(byteCount: 32)
        let contents = Array("\(user):\(password)".utf8)
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw .cookieFailed("cannot open \(temporary): \(lastError())") }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw .cookieFailed("cannot chmod \(temporary): \(lastError())") }
        let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == contents.count else { throw .cookieFailed("cannot write \(temporary): \(lastError())") }
        guard rename(temporary, path) == 0 else { throw .cookieFailed("cannot rename to \(path): \(lastError())") }
        return password
    }

    /// Removes the cookie file at `path`, ignoring a missing file.
    public static func delete(at path: String) {
        unlink(path)
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
