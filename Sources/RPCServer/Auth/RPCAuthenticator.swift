import ByteCodec
import ChainCrypto
import Foundation

/// Checks HTTP Basic credentials as bitcoind does (src/httprpc.cpp): every accepted
/// credential is kept as `user`, `salt`, hex(HMAC-SHA256(key: salt, message: password)), and a
/// presented password is hashed the same way and compared in constant time. Plain
/// `-rpcuser`/`-rpcpassword` and the cookie get a random salt when the authenticator is made.
public struct RPCAuthenticator: Sendable {
    /// One accepted credential.
    struct Credential: Sendable {
        var user: [UInt8]
        var salt: [UInt8]
        var hash: [UInt8]
    }

    private let credentials: [Credential]

    /// Credentials from `configuration`, plus the cookie password when one was generated.
    /// Throws for a malformed `-rpcauth` value.
    public init(configuration: RPCAuthConfiguration, cookiePassword: String? = nil) throws(RPCServerError) {
        var credentials: [Credential] = []
        if !configuration.password.isEmpty {
            credentials.append(Self.salted(user: configuration.user, password: configuration.password))
        } else if let cookiePassword {
            credentials.append(Self.salted(user: RPCCookie.user, password: cookiePassword))
        }
        for entry in configuration.rpcAuth {
            let fields = entry.split(separator: ":", omittingEmptySubsequences: false)
            let saltAndHash = fields.last?.split(separator: "$", omittingEmptySubsequences: false) ?? []
            guard fields.count == 2, saltAndHash.count == 2 else { throw .invalidRPCAuth(entry) }
            credentials.append(
                Credential(user: Array(fields[0].utf8), salt: Array(saltAndHash[0].utf8), hash: Array(saltAndHash[1].utf8)))
        }
        self.credentials = credentials
    }

    /// The user name when the `Authorization` header value carries accepted Basic
    /// credentials, otherwise nil.
    public func authenticate(authorization: String) -> String? {
        guard authorization.hasPrefix("Basic ") else { return nil }
        let encoded = authorization.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard let decoded = Data(base64Encoded: encoded) else { return nil }
        let userPassword = Array(decoded)
        guard let colon = userPassword.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let user = Array(userPassword[..<colon])
        let password = Array(userPassword[(colon + 1)...])
        var accepted = false
        for credential in credentials where Self.timingResistantEqual(credential.user, user) {
            if Self.timingResistantEqual(Self.passwordHash(salt: credential.salt, password: password), credential.hash) { accepted = true }
        }
        return accepted ? String(decoding: user, as: UTF8.self) : nil
    }

    /// The `-rpcauth` line for `user` and `password` with `salt` (hex), as rpcauth.py makes it.
    public static func rpcAuthLine(user: String, password: String, salt: String) -> String {
        let hash = String(decoding: passwordHash(salt: Array(salt.utf8), password: Array(password.utf8)), as: UTF8.self)
        return "\(user):\(salt)$\(hash)"
    }

    private static func salted(user: String, password: String) -> Credential {
        let salt = Array(randomHex(byteCount: 16).utf8)
        return Credential(user: Array(user.utf8), salt: salt, hash: passwordHash(salt: salt, password: Array(password.utf8)))
    }

    /// hex(HMAC-SHA256(key: salt, message: password)) as ASCII bytes: what `-rpcauth` stores.
    private static func passwordHash(salt: [UInt8], password: [UInt8]) -> [UInt8] {
        Array(Hex.encode(Hashing.hmacSHA256(key: salt, data: password)).utf8)
    }

    /// `byteCount` bytes from the system's secure generator, hex-encoded (salts, cookies).
    static func randomHex(byteCount: Int) -> String {
        var random = SystemRandomNumberGenerator()
        return Hex.encode((0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &random) })
    }

    /// Compares without an early exit, so the time does not reveal where `a` and `b`
    /// differ (Core's `TimingResistantEqual`).
    static func timingResistantEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard !b.isEmpty else { return a.isEmpty }
        var accumulator = a.count ^ b.count
        for index in a.indices {
            accumulator |= Int(a[index] ^ b[index % b.count])
        }
        return accumulator == 0
    }
}
