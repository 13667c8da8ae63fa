import Foundation
import IPAddressing
import Logging
import P2P
import Synchronization

/// The node's ban list, kept in `<datadir>/banlist.json` (rewritten whole, through a temporary
/// file and a rename, on every change), and its discouraged addresses (memory only).
final class PeerBans: Sendable {
    private let list: Mutex<BanList>
    private let path: String
    private let logger: Logger

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
        var loaded = BanList()
        if let data = FileManager.default.contents(atPath: path) {
            do {
                loaded = try BanList(fileContents: data)
                if loaded.skipped > 0 { logger.warning("\(loaded.skipped) entries of \(path) did not parse and were dropped") }
            } catch {
                logger.warning("ignoring \(path), which does not parse: \(error)")
            }
        }
        list = Mutex(loaded)
    }

    /// Whether `address` (16 bytes) may not connect: banned, or (coming in) discouraged.
    func refuses(_ address: [UInt8], inbound: Bool) -> Bool {
        list.withLock { $0.isBanned(address, now: UnixTime.now) || inbound && $0.isDiscouraged(address) }
    }

    func isBanned(_ address: [UInt8]) -> Bool { list.withLock { $0.isBanned(address, now: UnixTime.now) } }

    func discourage(_ address: [UInt8]) { list.withLock { $0.discourage(address) } }

    func ban(_ subnet: IPSubnet, until: Int64) {
        change { $0.ban(subnet, now: UnixTime.now, until: until) }
    }

    /// Lifts a ban; false when `subnet` was not banned.
    func unban(_ subnet: IPSubnet) -> Bool {
        var found = false
        change { found = $0.unban(subnet) }
        return found
    }

    func clear() { change { $0.clear() } }

    func entries() -> [BanList.Entry] { list.withLock { $0.entries(now: UnixTime.now) } }

    private func change(_ body: (inout BanList) -> Void) {
        let contents = list.withLock { list in
            body(&list)
            list.sweep(now: UnixTime.now)
            return list.fileContents(now: UnixTime.now)
        }
        do {
            try contents.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            logger.error("could not save \(path): \(error)")
        }
    }
}
