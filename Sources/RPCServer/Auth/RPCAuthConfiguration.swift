/// The credentials options of bitcoind: `-rpcuser`/`-rpcpassword`, `-rpcauth` and the
/// cookie file.
public struct RPCAuthConfiguration: Sendable, Equatable {
    /// `-rpcuser`.
    public var user: String
    /// `-rpcpassword`; when empty, a cookie file is written (if ``cookiePath`` is set).
    public var password: String
    /// `-rpcauth` values, each `user:salt$hash` with `hash` = hex(HMAC-SHA256(key: salt,
    /// message: password)) as share/rpcauth/rpcauth.py prints it.
    public var rpcAuth: [String]
    /// Where the cookie is written when no password is set (`<datadir>/.cookie`); nil
    /// disables cookie authentication (Core's `-norpccookiefile`).
    public var cookiePath: String?

    /// Options as given.
    public init(user: String = "", password: String = "", rpcAuth: [String] = [], cookiePath: String? = nil) {
        self.user = user
        self.password = password
        self.rpcAuth = rpcAuth
        self.cookiePath = cookiePath
    }

    /// Cookie authentication with the cookie at `<dataDirectory>/.cookie`.
    public static func cookie(inDirectory dataDirectory: String) -> RPCAuthConfiguration {
        RPCAuthConfiguration(cookiePath: dataDirectory + "/" + RPCCookie.defaultFileName)
    }

    /// Whether a cookie file is written at start.
    public var usesCookie: Bool { password.isEmpty && cookiePath != nil }
}
