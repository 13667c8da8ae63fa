import ChainCrypto
import Foundation
import Logging
import P2P
import P2PWire
import Synchronization

/// The node's address manager, kept in `<datadir>/peers.dat` (written on shutdown and every
/// 15 minutes through a temporary file and a rename). A file that does not load is set aside as
/// `peers.dat.bad` and the node starts with an empty book, as Core does.
final class AddressBook: Sendable {
    private let manager: Mutex<AddressManager>
    private let path: String
    private let logger: Logger

    init(path: String, allowsNonRoutable: Bool, logger: Logger) {
        self.path = path
        self.logger = logger
        var loaded = AddressManager(key: Hashing.sha256d(Self.randomBytes()), allowsNonRoutable: allowsNonRoutable)
        if let data = FileManager.default.contents(atPath: path) {
            do {
                loaded = try AddressManager(serialized: Array(data), allowsNonRoutable: allowsNonRoutable)
                logger.info("loaded \(loaded.count) addresses from \(path)")
            } catch {
                logger.warning("\(path) does not load (\(error)); set aside as peers.dat.bad, starting with no addresses")
                _ = rename(path, path + ".bad")
            }
        }
        manager = Mutex(loaded)
    }

    private static func randomBytes() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    var count: Int { manager.withLock { $0.count } }

    /// Adds addresses a peer (`source`) told us of, with Core's two-hour penalty.
    @discardableResult
    func add(_ entries: [TimestampedAddress], source: NetworkAddress, penalty: Int64 = 2 * 3_600) -> Int {
        var generator = SystemRandomNumberGenerator()
        return manager.withLock { $0.add(entries, source: source, timePenalty: penalty, now: UnixTime.now, using: &generator) }
    }

    func good(_ address: NetworkAddress) { manager.withLock { _ = $0.good(address, now: UnixTime.now) } }

    func attempt(_ address: NetworkAddress, countFailure: Bool) {
        manager.withLock { $0.attempt(address, countFailure: countFailure, now: UnixTime.now) }
    }

    func connected(_ address: NetworkAddress) { manager.withLock { $0.connected(address, now: UnixTime.now) } }

    /// An address to connect to (Core's 50/50 between the tables, or new ones only for feelers).
    func select(newOnly: Bool) -> (address: NetworkAddress, lastTry: Int64)? {
        var generator = SystemRandomNumberGenerator()
        return manager.withLock { $0.select(newOnly: newOnly, using: &generator, now: UnixTime.now) }
    }

    /// Random good addresses: Core's `getaddr` answer (1,000 at most, 23 % of the book).
    func addresses(maxCount: Int = 1_000, maxPercent: Int = 23) -> [TimestampedAddress] {
        var generator = SystemRandomNumberGenerator()
        return manager.withLock { $0.addresses(maxCount: maxCount, maxPercent: maxPercent, using: &generator, now: UnixTime.now) }
    }

    /// Writes the book; failures are logged (the node goes on with what it has in memory).
    func save() {
        let bytes = manager.withLock { $0.serialized() }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            logger.error("could not save \(path): \(error)")
        }
    }
}
